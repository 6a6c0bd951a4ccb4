import { useState } from 'preact/hooks';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import type { Api } from './api.js';
import { report } from './api-later.js';

type Reason = 'abuse' | 'spam' | 'off_topic' | 'other';

/** Reporting a comment to the moderators. Loaded on first use; strings and API come as props. */
export function ReportForm({ id, api, onDone }: { id: number; api: Api; onDone(message: string | null): void }) {
  const m = widgetExtras.report;
  const [reason, setReason] = useState<Reason>('abuse');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const name = `report-${id}`;
  return (
    <form
      class="parley-report"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await report(api, id, reason, text);
          onDone(m.thanks);
        } catch (err) {
          setError((err as Error).message);
        }
      }}
    >
      <fieldset>
        <legend>{m.legend}</legend>
        {(['abuse', 'spam', 'off_topic', 'other'] as const).map((r) => (
          <label key={r}>
            <input type="radio" name={name} value={r} checked={reason === r} onChange={() => setReason(r)} /> {m.reasons[r]}
          </label>
        ))}
        <label for={`${name}-text`}>{m.details}</label>
        <input id={`${name}-text`} type="text" maxLength={1000} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      </fieldset>
      {error ? (
        <p class="parley-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="parley-row">
        <button type="submit">{m.send}</button>
        <button type="button" onClick={() => onDone(null)}>
          {m.cancel}
        </button>
      </div>
    </form>
  );
}
