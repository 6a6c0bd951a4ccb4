import { useRef, useState } from 'preact/hooks';
import type { CommentView } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import { Avatar } from './Avatar.js';
import { Composer } from './Composer.js';
import { blockMessage, errorText, useWidget } from './context.js';
import { quoteMarkdown } from './model.js';
import { RelativeTime } from './RelativeTime.js';
import { useLazy } from './lazy.js';

const m = wm;

/** The text a reader selected inside this comment's body, if any. */
function selectionIn(el: HTMLElement | null): string {
  const sel = typeof window === 'undefined' ? null : window.getSelection();
  if (!el || !sel || sel.isCollapsed || sel.rangeCount === 0) return '';
  const range = sel.getRangeAt(0);
  return el.contains(range.commonAncestorContainer) ? sel.toString() : '';
}

export function CommentItem({ c, indent }: { c: CommentView; indent: number }) {
  const w = useWidget();
  const [mode, setMode] = useState<'view' | 'reply' | 'edit' | 'confirm-delete' | 'report'>('view');
  const [notice, setNotice] = useState<string | null>(null);
  const report = useLazy(() => import('./ReportForm.js'), mode === 'report');
  const editor = useLazy(() => import('./EditForm.js'), mode === 'edit');
  const [insert, setInsert] = useState<{ text: string; n: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const replyButton = useRef<HTMLButtonElement>(null);
  const deleted = c.status === 'deleted';
  const mine = w.state.viewer !== null && c.author?.id === w.state.viewer.id;
  const blocked = blockMessage(w.state);
  // A deleted comment is named by its placeholder, which says so once.
  const nameId = `comment-${c.id}-${deleted ? 'gone' : 'author'}`;

  const closeComposer = () => {
    setMode('view');
    replyButton.current?.focus();
  };
  const wantsIn = w.state.blockedReason === 'subscribe' || w.state.blockedReason === 'signin';
  const vote = async (value: -1 | 1, e: Event) => {
    if (wantsIn) return w.prompt(e.currentTarget as HTMLElement);
    setError(null);
    try {
      await w.vote(c, c.myVote === value ? 0 : value);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const quote = () => {
    const text = selectionIn(body.current) || c.bodySrc || body.current?.innerText || '';
    setMode('reply');
    setInsert({ text: quoteMarkdown(text, c.author?.name ?? ''), n: (insert?.n ?? 0) + 1 });
  };
  const voteTitle = blocked ?? (mine ? wm.ownComment : undefined);

  return (
    <article
      id={`comment-${c.id}`}
      class={`parley-comment indent-${indent}${w.highlight === c.id ? ' parley-highlight' : ''}`}
      aria-labelledby={nameId}
      tabIndex={-1}
    >
      <header class="parley-meta">
        <Avatar name={c.author?.name ?? null} seed={String(c.author?.id ?? c.id)} />
        <span id={deleted ? undefined : nameId} class="parley-author">
          {c.author?.name}
        </span>
        <a class="parley-permalink" href={`?comment=${c.id}#comment-${c.id}`} aria-label={m.permalinkLabel}>
          <RelativeTime iso={c.createdAt} />
        </a>
        {c.replyTo ? <span class="parley-replyto">{m.replyTo(c.replyTo)}</span> : null}
        {c.byArticleAuthor ? <span class="parley-badge">{m.author}</span> : null}
        {c.status === 'pending' ? <span class="parley-badge">{m.pending}</span> : null}
      </header>
      {mode === 'edit' && editor ? (
        <editor.EditForm c={c} w={w} Composer={Composer} onClose={() => setMode('view')} onError={(e) => setError(errorText(e))} />
      ) : deleted ? (
        <p id={nameId} class="parley-deleted">
          {m.deleted}
        </p>
      ) : (
        <div class="parley-body" ref={body} dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
      )}
      {c.editedAt && !deleted ? (
        <p class="parley-edited">
          <EditedText at={c.editedAt} by={c.editedBy} />
        </p>
      ) : null}
      {deleted ? null : (
        <div class="parley-actions">
          <span class="parley-votes" role="group" aria-label={m.votes}>
            <button
              type="button"
              aria-pressed={c.myVote === 1 ? 'true' : 'false'}
              aria-disabled={voteTitle ? 'true' : undefined}
              title={voteTitle}
              onClick={(e) => vote(1, e)}
            >
              <span aria-hidden="true">▲</span> <span class="parley-sr">{m.upVote}</span> <span class="parley-n">{c.up}</span>
            </button>
            <button
              type="button"
              aria-pressed={c.myVote === -1 ? 'true' : 'false'}
              aria-disabled={voteTitle ? 'true' : undefined}
              title={voteTitle}
              onClick={(e) => vote(-1, e)}
            >
              <span aria-hidden="true">▼</span> <span class="parley-sr">{m.downVote}</span> <span class="parley-n">{c.down}</span>
            </button>
          </span>
          {wantsIn && c.status === 'visible' ? (
            <button type="button" aria-haspopup="dialog" onClick={(e) => w.prompt(e.currentTarget as HTMLElement)}>
              {m.reply}
            </button>
          ) : null}
          {w.state.canParticipate && c.status === 'visible' ? (
            <>
              <button
                type="button"
                ref={replyButton}
                aria-expanded={mode === 'reply' ? 'true' : 'false'}
                onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}
              >
                {m.reply}
              </button>
              <button type="button" onClick={quote}>
                {m.quote}
              </button>
            </>
          ) : null}
          {c.canEdit && mode !== 'edit' ? (
            <button type="button" onClick={() => setMode('edit')}>
              {m.edit}
            </button>
          ) : null}
          {w.state.viewer && !mine && c.status === 'visible' && !notice ? (
            <button type="button" aria-expanded={mode === 'report' ? 'true' : 'false'} onClick={() => setMode(mode === 'report' ? 'view' : 'report')}>
              {m.reportOpen}
            </button>
          ) : null}
          {c.canDelete ? (
            mode === 'confirm-delete' ? (
              <span class="parley-confirm" role="group" aria-label={m.deleteConfirm}>
                <span>{m.deleteConfirm}</span>
                <button
                  type="button"
                  class="parley-danger"
                  onClick={async () => {
                    try {
                      await w.remove(c.id);
                      setMode('view');
                    } catch (err) {
                      setError(errorText(err));
                    }
                  }}
                >
                  {m.deleteYes}
                </button>
                <button type="button" onClick={() => setMode('view')}>
                  {m.deleteNo}
                </button>
              </span>
            ) : (
              <button type="button" onClick={() => setMode('confirm-delete')}>
                {m.delete}
              </button>
            )
          ) : null}
        </div>
      )}
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
    </article>
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
