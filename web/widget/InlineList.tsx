import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import type { CommentView } from '../../src/domain/types.js';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';

const m = widgetExtras.inlineTab;

/** The Inline Feedbacks tab: comments on passages, in article order, each under its passage. */
// Loaded when the tab opens; the comment component comes as a prop so this chunk shares nothing
// but Preact with the first download.
export function InlineList({
  comments,
  focus,
  Item,
}: {
  comments: CommentView[];
  focus: { id: string };
  Item: ComponentType<{ c: CommentView; indent: number }>;
}) {
  // The reader opened the tab from a passage (or the tab itself): take them to what they asked for,
  // once this chunk has arrived and drawn it.
  useEffect(() => {
    const el = document.getElementById(focus.id);
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }, [focus]);
  if (comments.length === 0) return <p class="parley-empty">{m.none}</p>;
  return (
    <ol class="parley-threads" id="parley-inline">
      {comments.map((c) => (
        <li class="parley-thread" key={c.id} data-passage-start={c.anchor?.start}>
          <blockquote class="parley-passage-quote">
            {c.anchor?.exact}
            {c.anchor?.status === 'orphaned' ? <span class="parley-badge">{m.orphaned}</span> : null}
          </blockquote>
          <Item c={c} indent={0} />
        </li>
      ))}
    </ol>
  );
}
