import type { ComponentChildren, VNode } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { CommentView } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import { avatar } from './avatar.js';
import { Composer } from './Composer.js';
import { errorText, useWidget } from './context.js';
import type { Mode } from './CommentActions.js';
import { quoteMarkdown } from './model.js';
import { RelativeTime } from './RelativeTime.js';
import { useLazy } from './lazy.js';

const m = wm;

export function CommentItem({ c, indent }: { c: CommentView; indent: number }) {
  const w = useWidget();
  const [mode, setMode] = useState<Mode>('view');
  const [notice, setNotice] = useState<string | null>(null);
  // The row's controls need scripts: they load once the widget runs (see CommentActions.tsx).
  const actions = useLazy(() => import('./CommentActions.js'), w.mounted);
  const report = useLazy(() => import('./ReportForm.js'), mode === 'report');
  const editor = useLazy(() => import('./EditForm.js'), mode === 'edit');
  const [insert, setInsert] = useState<{ text: string; n: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const replyButton = useRef<HTMLButtonElement>(null);
  const deleted = c.status === 'deleted';
  const mine = w.state.viewer !== null && c.author?.id === w.state.viewer.id;
  // A reader this viewer muted: the comment collapses to one line that opens it (no script needed).
  const hush = w.state.muted?.ids.includes(c.author?.id as number) && w.state.muted.label;
  // A deleted comment is named by its placeholder, which says so once.
  const nameId = `comment-${c.id}-${deleted ? 'gone' : 'author'}`;
  const face = avatar(c.author?.name ?? null, String(c.author?.id ?? c.id));

  const closeComposer = () => {
    setMode('view');
    replyButton.current?.focus();
  };
  const failed = (err: unknown) => setError(err ? errorText(err) : null);
  const quote = (text: string) => {
    setMode('reply');
    setInsert({ text: quoteMarkdown(text, c.author?.name ?? ''), n: (insert?.n ?? 0) + 1 });
  };

  /*
   * Every byte of this markup is paid once per comment on the page (issue 12: a 57-comment page in
   * 50 KB), so its parts are known by their place, not by classes (widget.css, "A comment"): the
   * header, the body in the div after it, the footer row. Classes mark only what is rare (badges,
   * a deleted or edited comment) or what place cannot tell (indent, avatar hue, highlight).
   */
  return (
    <article
      id={`comment-${c.id}`}
      class={`${indent ? `indent-${indent} ` : ''}${face.hue}${w.highlight === c.id ? ' parley-highlight' : ''}`}
      aria-labelledby={nameId}
      tabIndex={-1}
    >
      <Hush label={hush}>
        <header data-i={face.initials}>
          <b id={deleted ? undefined : nameId}>{c.author?.name}</b>
          {/* The time is the permalink, and its text is the link's name: "in 1 week, link". */}
          <a href={`?comment=${c.id}#comment-${c.id}`}>
            <RelativeTime iso={c.createdAt} />
          </a>
          {c.replyTo ? <a href={`#comment-${c.parentId}`}>{m.replyTo(c.replyTo)}</a> : null}
          {c.anchor ? (
            <span class="parley-passage-ref">
              {m.passage.about} <q>{c.anchor.exact}</q>
            </span>
          ) : null}
          {c.byArticleAuthor ? <span class="parley-badge">{m.author}</span> : null}
          {c.featured ? <span class="parley-badge">{m.sorts.featured}</span> : null}
          {c.status === 'pending' ? <span class="parley-badge">{m.pending}</span> : null}
        </header>
        {mode === 'edit' && editor ? (
          <editor.EditForm c={c} w={w} Composer={Composer} onClose={() => setMode('view')} onError={failed} />
        ) : deleted ? (
          <p id={nameId} class="parley-deleted">
            {m.deleted}
          </p>
        ) : (
          <div ref={body} dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        )}
        {c.editedAt && !deleted ? (
          <p class="parley-edited">
            <EditedText at={c.editedAt} by={c.editedBy} />
          </p>
        ) : null}
        {deleted ? null : actions ? (
          <actions.Actions
            c={c}
            w={w}
            mine={mine}
            body={body.current}
            mode={mode}
            setMode={setMode}
            quote={quote}
            failed={failed}
            replyButton={replyButton}
            reported={!!notice}
          />
        ) : (
          // Before scripts (and without them) the row is the score alone: the one link a menu
          // could hold, the permalink, is the time above.
          <footer>{c.score}</footer>
        )}
        {mode === 'confirm-delete' && actions ? <actions.Confirm c={c} w={w} setMode={setMode} failed={failed} /> : null}
        {error ? (
          <p class="parley-error" role="alert">
            {error}
          </p>
        ) : null}
        {mode === 'report' && report ? (
          <report.ReportForm
            id={c.id}
            api={w.api}
            onDone={(msg) => {
              setMode('view');
              setNotice(msg);
            }}
          />
        ) : null}
        {notice ? <p role="status">{notice}</p> : null}
        {mode === 'reply' ? (
          <Composer
            id={`reply-${c.id}`}
            label={m.replyLabel(c.author?.name ?? '')}
            submitLabel={m.postReply}
            busyLabel={m.posting}
            insert={insert}
            autoFocus
            onSubmit={async (text) => {
              await w.post(text, c.id);
              setMode('view');
            }}
            onCancel={closeComposer}
          />
        ) : null}
      </Hush>
    </article>
  );
}

function Hush({ label, children }: { label?: string | false; children: ComponentChildren }) {
  return label ? (
    <details class="parley-muted">
      <summary>{label}</summary>
      {children}
    </details>
  ) : (
    (children as VNode)
  );
}

function EditedText({ at, by }: { at: string; by: string | null }) {
  // "Last edited <time> by <name>": the time keeps its machine-readable form.
  const [before, after] = m.edited('\u0000', by).split('\u0000');
  return (
    <>
      {before}
      <RelativeTime iso={at} />
      {after}
    </>
  );
}
