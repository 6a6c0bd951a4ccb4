import { compactThreads, type OwnFields } from '../../domain/hydration.js';
import type { DiscussionState } from '../../domain/types.js';
import { Discussion } from '../../../web/widget/Discussion.js';
import { messages } from '../../messages.js';

/**
 * Without JavaScript, a `#comment-ID` link to a comment this page does not show (a reply beyond
 * the first few, a thread on a later page) lands on its stand-in, shown only as the link's
 * target, which asks the server for the comment's thread. With JavaScript nothing here exists:
 * the widget fetches the thread itself.
 *
 * One sentence says what happened for all of them and each stand-in is only its link, in that
 * sentence's paragraph (its context for a screen reader): a page may carry a hundred.
 */
function LinkTargets({ ids }: { ids: number[] }) {
  return (
    <noscript>
      <p class="parley-targets">
        {messages.pages.linkedElsewhere}{' '}
        {ids.map((id) => (
          <a key={id} id={`comment-${id}`} href={`?comment=${id}#comment-${id}`}>
            {messages.pages.showLinked}
          </a>
        ))}
      </p>
    </noscript>
  );
}

const ESCAPES: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON inside a script element: `<` escaped so no string in it can close the element. */
export function embedJson(value: unknown): string {
  // One pass: the state is written into every signed-in reader's page.
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => ESCAPES[c]!);
}

/**
 * Where a signed-in reader's state carries the threads every reader of the page shares: `mark`
 * stands (as a JSON string) for their compacted JSON, made once for all of them
 * (src/render/discussion-html.ts), and `own` holds what differs for this reader.
 */
export interface SharedThreads {
  mark: string;
  own: OwnFields;
}

/**
 * The state the widget hydrates from, without what the markup shows (each body, name and time
 * ships once) or the widget can tell (src/domain/hydration.ts). An author's editable source is
 * fetched when they open the editor.
 */
export function hydrationState({ elsewhere: _serverOnly, ...state }: DiscussionState, shared?: SharedThreads) {
  // The shared threads first: what comes before them in the page is then the same for every
  // reader, and what is the reader's own follows them in one piece.
  if (shared) {
    const {
      page: { threads: _shared, ...page },
      ...rest
    } = state;
    return { page: { threads: shared.mark, ...page }, ...rest, ...(Object.keys(shared.own).length ? { own: shared.own } : {}) };
  }
  return {
    ...state,
    page: { ...state.page, threads: compactThreads(state.page.threads) },
  };
}

/**
 * The server-rendered discussion and the state the browser widget hydrates it from; `html` is
 * the discussion already rendered (src/render/discussion-html.ts), else it is rendered here.
 * `stateJson` stands for the state's JSON where the page is rendered once for many readers.
 */
export function DiscussionMount({ state, html, threads, stateJson }: { state: DiscussionState; html?: string; threads?: SharedThreads; stateJson?: string }) {
  return (
    <>
      {html === undefined ? (
        <div id="parley-root" data-api="/api/v1">
          <Discussion state={state} />
        </div>
      ) : (
        <div id="parley-root" data-api="/api/v1" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      <script type="application/json" id="parley-state" dangerouslySetInnerHTML={{ __html: stateJson ?? embedJson(hydrationState(state, threads)) }} />
      {state.elsewhere?.length ? <LinkTargets ids={state.elsewhere} /> : null}
    </>
  );
}
