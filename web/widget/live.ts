import type { CommentView } from '../../src/domain/types.js';

export interface LiveMessage {
  type: 'comment.created' | 'comment.edited' | 'comment.deleted' | 'comment.voted' | 'reset';
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
  const types: LiveMessage['type'][] = ['comment.created', 'comment.edited', 'comment.deleted', 'comment.voted', 'reset'];

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
