import { hydrate } from 'preact';
import type { DiscussionState } from '../../src/domain/types.js';
import { Discussion } from './Discussion.js';

/** Takes over the server-rendered discussion: same markup, now interactive. */
const root = document.getElementById('parley-root');
const data = document.getElementById('parley-state');
if (root && data?.textContent) {
  const state = JSON.parse(data.textContent) as DiscussionState;
  hydrate(<Discussion state={state} apiBase={root.dataset.api ?? '/api/v1'} />, root);
}
