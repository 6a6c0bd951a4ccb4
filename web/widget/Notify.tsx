import { useState } from 'preact/hooks';
import type { FollowState } from '../../src/domain/types.js';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import { follow as followArticle, followByEmail, prefs } from './api-later.js';
import type { Widget } from './context.js';

/**
 * "Notify of": follow this article, replies to my comments; guests follow by email. One line
 * (a <details>) that opens to its options, so it does not stand between the reader and the comments.
 */
// Loaded on demand: it takes the widget and its strings as props rather than importing them, so
// its chunk shares nothing but Preact with the first download.
export function Notify({ w }: { w: Widget }) {
  const m = widgetExtras.notify;
  const [follow, setFollow] = useState<FollowState | null>(w.state.follow);
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!w.mounted) return null;
  return (
    <details class="parley-notify">
      <summary>{m.legend}</summary>
      {follow ? (
        <fieldset>
          <legend class="parley-sr">{m.legend}</legend>
          <label>
            <input
              type="checkbox"
              checked={follow.article}
              onChange={(e) => run(async () => setFollow(await followArticle(w.api, w.state.article.id, (e.target as HTMLInputElement).checked)))}
            />{' '}
            {m.article}
          </label>
          {follow.article ? (
            // Off by default: a follower of the article may also ask for its editors' picks.
            <label>
              <input
                type="checkbox"
                checked={follow.featured === true}
                onChange={(e) => run(async () => setFollow(await followArticle(w.api, w.state.article.id, true, (e.target as HTMLInputElement).checked)))}
              />{' '}
              {m.featured}
            </label>
          ) : null}
          <label>
            <input
              type="checkbox"
              checked={follow.replies}
              onChange={(e) =>
                run(async () => {
                  const replies = (e.target as HTMLInputElement).checked;
                  await prefs(w.api, { replies });
                  setFollow({ ...follow, replies });
                })
              }
            />{' '}
            {m.replies}
          </label>
          <label>
            <input
              type="checkbox"
              checked={follow.digest === 'daily'}
              onChange={(e) =>
                run(async () => {
                  const digest = (e.target as HTMLInputElement).checked ? 'daily' : 'instant';
                  await prefs(w.api, { digest });
                  setFollow({ ...follow, digest });
                })
              }
            />{' '}
            {m.digest}
          </label>
          {/* The two boxes above are the reader's account settings, not this article's. */}
          <p class="parley-hint">
            {m.accountWide} <a href="/account#notifications">{m.accountLink}</a>
          </p>
        </fieldset>
      ) : (
        <form
          class="parley-row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await followByEmail(w.api, w.state.article.id, email);
              setStatus(m.checkMail(email));
              setEmail('');
            });
          }}
        >
          <label for="parley-notify-email">{m.guestLabel}</label>
          <input
            id="parley-notify-email"
            type="email"
            required
            autocomplete="email"
            placeholder={m.guestPlaceholder}
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
          <button type="submit">{m.guestSubmit}</button>
        </form>
      )}
      {status ? <p role="status">{status}</p> : null}
      {error ? (
        <p class="parley-error" role="alert">
          {error}
        </p>
      ) : null}
    </details>
  );
}
