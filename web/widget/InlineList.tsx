import type { ComponentType } from 'preact';
import type { CommentView } from '../../src/domain/types.js';
import type { widget as Labels } from '../../src/messages/widget.js';

/** The Inline Feedbacks tab: comments on passages, in article order, each under its passage. */
// Loaded when the tab opens; the comment component and strings come as props so this chunk
// shares nothing but Preact with the first download.
export function InlineList({ comments, Item, wm }: { comments: CommentView[]; Item: ComponentType<{ c: CommentView; indent: number }>; wm: typeof Labels }) {
  if (comments.length === 0) return <p class="parley-empty">{wm.passage.none}</p>;
  return (
    <ol class="parley-threads" id="parley-inline">
      {comments.map((c) => (
        <li class="parley-thread" key={c.id} data-passage-start={c.anchor?.start}>
          <blockquote class="parley-passage-quote">
            {c.anchor?.exact}
            {c.anchor?.status === 'orphaned' ? <span class="parley-badge">{wm.passage.orphaned}</span> : null}
          </blockquote>
          <Item c={c} indent={0} />
        </li>
      ))}
    </ol>
  );
}
