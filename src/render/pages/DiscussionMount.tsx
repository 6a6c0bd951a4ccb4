import type { DiscussionState } from '../../domain/types.js';
import { Discussion } from '../../../web/widget/Discussion.js';

/** JSON inside a script element: `<` escaped so no string in it can close the element. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The server-rendered discussion and the state the browser widget hydrates it from. */
export function DiscussionMount({ state }: { state: DiscussionState }) {
  return (
    <>
      <div id="parley-root" data-api="/api/v1">
        <Discussion state={state} />
      </div>
      <script type="application/json" id="parley-state" dangerouslySetInnerHTML={{ __html: embedJson(state) }} />
    </>
  );
}
