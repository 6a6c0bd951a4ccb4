import { hydrate } from 'preact';
import { type CompactThread, type OwnHydration, restoreThreads } from '../../src/domain/hydration.js';
import type { DiscussionState } from '../../src/domain/types.js';
import { Discussion } from './Discussion.js';

/** Takes over the server-rendered discussion: same markup, now interactive. */
const root = document.getElementById('parley-root');
const data = document.getElementById('parley-state');
if (root && data?.textContent) {
  const { own, ...state } = JSON.parse(data.textContent) as DiscussionState & OwnHydration;
  // The state leaves out what the server's markup shows (src/domain/hydration.ts): read back here,
  // from the comment's parts as CommentItem places them. A signed-in reader's own votes and rights
  // may come apart from the threads all readers share.
  restoreThreads(
    state.page.threads as CompactThread[],
    (id) => {
      const el = root.querySelector(`#comment-${id}`)!;
      // "Reply to" is the header's in-page link (the time's starts with ?comment=).
      const to = el.querySelector('header > a[href^="#"]')?.getAttribute('href');
      const score = el.querySelector('footer')?.textContent;
      return {
        bodyHtml: el.querySelector('header + div')?.innerHTML as string,
        name: el.querySelector('header > b')?.textContent as string,
        createdAt: el.querySelector('time')?.getAttribute('datetime') as string,
        parentId: to ? Number(to.slice(9)) : null, // after "#comment-"
        score: score ? Number(score) : null,
      };
    },
    own,
  );
  hydrate(<Discussion state={state} apiBase={root.dataset.api ?? '/api/v1'} />, root);
}
