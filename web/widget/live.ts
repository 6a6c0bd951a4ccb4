import type { CommentView } from '../../src/domain/views.js';
import type { LiveFold, LiveMessage, View } from './model.js';

const IDLE_HIDDEN_MS = 60_000;

/**
 * Follows the article's event stream from `since`. A tab hidden for a minute closes its stream, so the server
 * holds nothing for it; when it is shown again it reconnects from the last event it saw.
 */
export function followLive(url: string, onMessage: (m: LiveMessage) => void, since?: number): () => void {
  let source: EventSource | null = null;
  // From the page's own moment, so what happened while it waited in a cache or loaded arrives too.
  let lastId = since ? String(since) : '';
  let hiddenTimer: ReturnType<typeof setTimeout> | null = null;
  const types: LiveMessage['type'][] = ['comment.created', 'comment.edited', 'comment.deleted', 'comment.voted', 'comment.hidden', 'reset'];

  const open = () => {
    if (source) return;
    source = new EventSource(lastId ? `${url}?after=${encodeURIComponent(lastId)}` : url);
    for (const type of types) {
      source.addEventListener(type, (e) => {
        const ev = e as MessageEvent<string>;
        if (ev.lastEventId) lastId = ev.lastEventId;
        try {
          onMessage({ type, ...(JSON.parse(ev.data) as Omit<LiveMessage, 'type'>) });
        } catch {
          // A malformed event is dropped; the next one carries full state again.
        }
      });
    }
  };
  const close = () => {
    source?.close();
    source = null;
  };
  const onVisibility = () => {
    if (document.hidden) hiddenTimer = setTimeout(close, IDLE_HIDDEN_MS);
    else {
      if (hiddenTimer) clearTimeout(hiddenTimer);
      open();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  open();
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    if (hiddenTimer) clearTimeout(hiddenTimer);
    close();
  };
}

/** Keeps what only this viewer knows (their vote, their rights) when a live update arrives. */
const fromLive = (old: CommentView | undefined, next: CommentView, viewerId: number | null): CommentView => ({
  ...next,
  myVote: old?.myVote ?? 0,
  canEdit: old ? old.canEdit && next.status !== 'deleted' : false,
  canDelete: old ? old.canDelete && next.status !== 'deleted' : next.author?.id === viewerId,
});

/** Folds one live event into what the reader sees: new comments, edits, deletions, votes. */
export const foldLive: LiveFold = (v, msg, viewerId, reduce, find) => {
  if (msg.commentCount !== undefined) v = { ...v, count: msg.commentCount };
  if (msg.type === 'reset') return { ...v, stale: v.stale + 1 };
  if (!msg.comment) return v;
  const ts = v.threads;
  if (msg.type === 'comment.hidden') {
    // Moderators hid it: it goes, with its thread when it was the thread's first comment.
    const { id } = msg.comment;
    return {
      ...v,
      threads: ts
        .filter((t) => t.comment.id !== id)
        .map((t) => (t.replies.some((r) => r.id === id) ? { ...t, replies: t.replies.filter((r) => r.id !== id) } : t)),
    };
  }
  // Every other event carries the whole comment.
  const c = msg.comment as CommentView;
  const shown = find(ts, c.id);
  // Under the Featured tab a new pick is news (as a new comment is elsewhere); new comments are not.
  if (v.sort === 'featured' && !shown) return c.featured && msg.type === 'comment.edited' ? { ...v, waiting: v.waiting + 1 } : v;
  if (msg.type !== 'comment.created') return shown ? reduce(v, { type: 'changed', id: c.id, to: (old) => fromLive(old, c, viewerId) }) : v;
  if (shown) return v;
  const posted = (): View => reduce(v, { type: 'posted', comment: fromLive(undefined, c, viewerId), count: v.count });
  // A reply goes into its thread when that is shown; a new thread goes first in the newest order.
  if (c.parentId !== null) return ts.some((t) => t.comment.id === (c.rootId ?? c.id)) ? posted() : v;
  // The reader's own new comment is no news to them: its event can arrive before the post's
  // answer, which then finds it already shown, first, like any comment they post.
  if (c.author?.id === viewerId) return posted();
  if (v.sort === 'newest') return { ...posted(), arrived: v.arrived + 1 };
  return { ...v, waiting: v.waiting + 1 };
};
