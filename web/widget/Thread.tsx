import { threadRows } from '../../src/domain/tree.js';
import type { ThreadView } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import { CommentItem } from './CommentItem.js';
import { useWidget } from './context.js';

/** A top-level comment with its replies, depth-first, indented up to the configured depth. */
export function Thread({ thread }: { thread: ThreadView }) {
  const w = useWidget();
  const rows = threadRows(thread.comment, thread.replies, w.state.limits.indentDepth);
  return (
    <li class="parley-thread">
      {rows.map((r) => (
        <CommentItem key={r.item.id} c={r.item} indent={r.indent} />
      ))}
      {thread.moreReplies > 0 ? (
        <p class="parley-more-replies indent-1">
          {w.mounted ? (
            <button type="button" onClick={() => w.loadReplies(thread)}>
              {wm.moreReplies(thread.moreReplies)}
            </button>
          ) : (
            <a href={`${w.state.moreHref}${thread.comment.id}#comment-${thread.comment.id}`}>{wm.moreReplies(thread.moreReplies)}</a>
          )}
        </p>
      ) : null}
    </li>
  );
}
