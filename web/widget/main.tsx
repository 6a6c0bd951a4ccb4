import { hydrate } from 'preact';
import type { DiscussionState } from '../../src/domain/types.js';
import { Discussion } from './Discussion.js';

/** Takes over the server-rendered discussion: same markup, now interactive. */
const root = document.getElementById('parley-root');
const data = document.getElementById('parley-state');
if (root && data?.textContent) {
  const state = JSON.parse(data.textContent) as DiscussionState;
  // The state leaves out each body shown: it is in the server's markup already.
  for (const t of state.page.threads)
    for (const c of [t.comment, ...t.replies]) c.bodyHtml ??= root.querySelector(`#comment-${c.id} .parley-body`)?.innerHTML as string;
  hydrate(<Discussion state={state} apiBase={root.dataset.api ?? '/api/v1'} />, root);
}
