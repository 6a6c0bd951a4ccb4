import type { CommentView, SortOrder, ThreadView } from '../../src/domain/types.js';
import type * as Model from './model.js';

export interface LiveMessage {
  type: 'comment.created' | 'comment.edited' | 'comment.deleted' | 'comment.voted' | 'comment.hidden' | 'reset';
  comment?: CommentView;
  commentCount?: number;
}

const IDLE_HIDDEN_MS = 60_000;

/**
 * Follows the article's event stream. A tab hidden for a minute closes its stream, so the server
 * holds nothing for it; when it is shown again it reconnects from the last event it saw.
 */
export function followLive(url: string, onMessage: (m: LiveMessage) => void): () => void {
  let source: EventSource | null = null;
  let lastId = '';
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

export interface LiveContext {
  threads: ThreadView[];
  sort: SortOrder;
  viewerId: number | null;
  setCount(n: number): void;
  setThreads(fn: (ts: ThreadView[]) => ThreadView[]): void;
  setWaiting(fn: (n: number) => number): void;
  reload(): void;
  arrived(): void;
  /** Passed in, not imported, so this chunk shares nothing with the first download. */
  model: Pick<typeof Model, 'findComment' | 'addReply' | 'prependThread' | 'mapComment' | 'rootOf'>;
}

/** Folds one live event into what the reader sees: new comments, edits, deletions, votes. */
export function applyLive(msg: LiveMessage, x: LiveContext): void {
  const { model } = x;
  if (msg.commentCount !== undefined) x.setCount(msg.commentCount);
  if (msg.type === 'reset') return x.reload();
  const c = msg.comment;
  if (!c) return;
  const shown = model.findComment(x.threads, c.id);
  if (msg.type === 'comment.hidden') {
    // Moderators hid it: it goes, with its thread when it was the thread's first comment.
    x.setThreads((ts) => ts.filter((t) => t.comment.id !== c.id).map((t) => (t.replies.some((r) => r.id === c.id) ? { ...t, replies: t.replies.filter((r) => r.id !== c.id) } : t)));
    return;
  }
  if (msg.type === 'comment.created') {
    if (shown) return;
    if (c.parentId !== null) {
      if (x.threads.some((t) => t.comment.id === model.rootOf(c))) x.setThreads((ts) => model.addReply(ts, fromLive(undefined, c, x.viewerId)));
    } else if (x.sort === 'newest') {
      x.setThreads((ts) => model.prependThread(ts, { comment: fromLive(undefined, c, x.viewerId), replies: [], repliesCursor: null, moreReplies: 0 }));
      x.arrived();
    } else x.setWaiting((n) => n + 1);
    return;
  }
  if (shown) x.setThreads((ts) => model.mapComment(ts, c.id, (old) => fromLive(old, c, x.viewerId)));
}
