import { useEffect, useState } from 'preact/hooks';
import type { CommentView } from '../../src/domain/types.js';
import type { CommentEdited } from '../../src/domain/views.js';
import { widgetExtras as x } from '../../src/messages/current/widget-extras.js';
import type { Composer as ComposerType } from './Composer.js';
import type { Widget } from './context.js';

/**
 * An author's editor, loaded when they first open it: pages ship each body once, as markup, so
 * the source text is fetched here; until it arrives the comment stays as it was. What it shares
 * with the first download (the composer, the widget) comes in as props, so loading it fetches
 * this file alone rather than splitting the first download into more chunks.
 */
export function EditForm(p: { c: CommentView; w: Widget; Composer: typeof ComposerType; onClose(): void; onError(err: unknown): void }) {
  const { c, w, Composer } = p;
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    w.api.call<{ body: string }>('GET', `/comments/${c.id}/source`).then(
      (s) => setSource(s.body),
      (err) => {
        p.onError(err);
        p.onClose();
      },
    );
  }, []);
  // Until then, the body as CommentItem shows it.
  if (source === null) return <div dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />;
  return (
    <Composer
      id={`edit-${c.id}`}
      label={x.edit.label}
      submitLabel={x.edit.save}
      busyLabel={x.edit.saving}
      initial={source}
      autoFocus
      onSubmit={async (text) => {
        const { comment } = await w.api.call<CommentEdited>('PATCH', `/comments/${c.id}`, { body: text });
        w.show(comment);
        w.focusLater(`comment-${c.id}`);
        w.announce(comment.status === 'pending' ? x.edit.pending : x.edit.saved);
        p.onClose();
      }}
      onCancel={p.onClose}
    />
  );
}
