import { useEffect, useRef, useState } from 'preact/hooks';
import { widget as wm } from '../../src/messages/current/widget.js';
import { countChars } from './model.js';
import { errorText, useWidget } from './context.js';

const m = wm;

export interface ComposerProps {
  id: string;
  label: string;
  submitLabel: string;
  busyLabel: string;
  initial?: string;
  /** Text to add at the end (a quote), with a counter so the same quote can be added twice. */
  insert?: { text: string; n: number } | null;
  autoFocus?: boolean;
  onSubmit(body: string): Promise<void>;
  onCancel?: () => void;
}

/** A labelled text box with a live character count; Escape cancels when there is a cancel. */
export function Composer(p: ComposerProps) {
  const { state } = useWidget();
  const max = state.limits.maxLength;
  const [text, setText] = useState(p.initial ?? '');
  // Words typed into the server-rendered box before the script arrived: hydration empties the
  // box, so they are read first and put back once it is done.
  // (Only the main box is server-rendered; reply and edit boxes start in the browser.)
  const [early] = useState(() => (globalThis.document?.getElementById(p.id) as HTMLTextAreaElement | null)?.value);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (early) setText(early);
    if (p.autoFocus) box.current?.focus();
  }, []);
  useEffect(() => {
    if (!p.insert) return;
    setText((t) => (t.trim() ? `${t.replace(/\s*$/, '')}\n\n` : '') + p.insert!.text);
    box.current?.focus();
  }, [p.insert?.n]);

  const used = countChars(text);
  const over = used - max;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || over > 0 || !text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await p.onSubmit(text);
      setText('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const hintId = `${p.id}-hint`;
  const countId = `${p.id}-count`;
  return (
    <form class="parley-composer" onSubmit={submit}>
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        ref={box}
        rows={4}
        value={text}
        aria-describedby={`${hintId} ${countId}`}
        aria-invalid={over > 0 ? 'true' : undefined}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && p.onCancel) {
            e.preventDefault();
            p.onCancel();
          }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
        }}
      />
      <p id={hintId} class="parley-hint">
        {m.markdownHint}
      </p>
      <p id={countId} class={over > 0 ? 'parley-count parley-over' : 'parley-count'} aria-live="polite">
        {over > 0 ? m.counterOver(over) : m.counter(used, max)}
      </p>
      {error ? (
        <p class="parley-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="parley-row">
        <button type="submit" class="parley-primary" disabled={busy || over > 0} aria-disabled={!text.trim() ? 'true' : undefined}>
          {busy ? p.busyLabel : p.submitLabel}
        </button>
        {p.onCancel ? (
          <button type="button" onClick={p.onCancel}>
            {m.cancel}
          </button>
        ) : null}
      </div>
    </form>
  );
}
