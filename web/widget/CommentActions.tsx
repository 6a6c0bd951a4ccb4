import type { Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { CommentView } from '../../src/domain/types.js';
import type { CommentChanged } from '../../src/domain/views.js';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import type { Widget } from './context.js';

export type Mode = 'view' | 'reply' | 'edit' | 'confirm-delete' | 'report';

/*
 * A comment's row of actions once scripts run: the vote control (▲ score ▼), Reply, and a menu
 * with Quote, Report, Edit, Delete and Copy link. Until it arrives (just after the page turns
 * interactive) the server's row shows the score alone, which is what works without scripts (the
 * comment's time links to it). Like EditForm it takes the widget as a prop and imports nothing of
 * the first download but Preact, so the first download carries none of it.
 */

interface Props {
  c: CommentView;
  w: Widget;
  /** The comment is the viewer's own. */
  mine: boolean;
  /** Its body, for quoting the reader's selection. */
  body: HTMLElement | null;
  mode: Mode;
  setMode(mode: Mode): void;
  /** Opens a reply quoting `text`. */
  quote(text: string): void;
  /** Shows what went wrong, or clears it (null). */
  failed(err: unknown): void;
  /** Reply, where focus returns when the reply box closes. */
  replyButton: Ref<HTMLButtonElement>;
  /** The viewer reported it already (from this page). */
  reported: boolean;
}

/** The text a reader selected inside this comment's body, if any. */
function selectionIn(el: HTMLElement | null): string {
  const sel = getSelection();
  if (!el || !sel || sel.isCollapsed || sel.rangeCount === 0) return '';
  return el.contains(sel.getRangeAt(0).commonAncestorContainer) ? sel.toString() : '';
}

/** Focus back on the menu button of comment `id` (after its menu or confirmation closes). */
const toMenu = (id: number) => document.querySelector<HTMLElement>(`#comment-${id} .parley-more summary`)?.focus();

/**
 * `@name` suggestions: a comment box is worth watching once there are comments (and so readers to
 * name), which is when this chunk arrives. The suggestions themselves load with the first `@`.
 */
let armed = false;
function armMentions(w: Widget): void {
  const root = document.getElementById('comments');
  if (armed || !root || !w.state.canParticipate) return;
  armed = true;
  const onAt = (e: Event) => {
    const box = e.target as HTMLTextAreaElement;
    if (!box.value?.includes('@')) return;
    root.removeEventListener('input', onAt);
    void import('./mentions.js').then((x) => x.attachMentions(root, w.api, w.state.article.id, box));
  };
  root.addEventListener('input', onAt);
}

export function Actions({ c, w, mine, body, mode, setMode, quote, failed, replyButton, reported }: Props) {
  const m = widgetExtras.actions;
  const s = w.state;
  useEffect(() => armMentions(w), []);
  const details = useRef<HTMLDetailsElement>(null);
  const list = useRef<HTMLDivElement>(null);
  // Signed out or not subscribed: votes and Reply open the subscribe prompt instead.
  const wantsIn = s.blockedReason === 'subscribe' || s.blockedReason === 'signin';
  const title = (s.canParticipate ? null : s.blockedMessage) ?? (mine ? m.ownComment : undefined);
  const visible = c.status === 'visible';

  useEffect(() => {
    const d = details.current!;
    const onKey = (e: KeyboardEvent) => {
      if (!d.open) return;
      const items = [...list.current!.querySelectorAll('button')];
      const n = items.length;
      const i = items.indexOf(document.activeElement as HTMLButtonElement);
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (e.key === 'Escape') close();
      // From the menu's button the arrows go to the first or the last item.
      else if (step) items[i < 0 ? (step > 0 ? 0 : n - 1) : (i + step + n) % n]?.focus();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    // Clicking or tabbing elsewhere closes it, as menus do.
    const onOut = (e: FocusEvent) => {
      if (!d.contains(e.relatedTarget as Node | null)) d.open = false;
    };
    d.addEventListener('keydown', onKey);
    d.addEventListener('focusout', onOut);
    return () => {
      d.removeEventListener('keydown', onKey);
      d.removeEventListener('focusout', onOut);
    };
  }, []);

  // Closing hands focus back to the menu's button, so keyboard readers stay where they were.
  const close = () => {
    details.current!.open = false;
    toMenu(c.id);
  };
  const pick = (run: () => unknown) => () => {
    details.current!.open = false;
    run();
  };
  // Muting and featuring change what this reader (or every reader) sees: done here, said aloud.
  const author = c.author;
  const muted = s.muted?.ids ?? [];
  const hushed = !!author && muted.includes(author.id);
  const mute = pick(async () => {
    try {
      await w.api.call(hushed ? 'DELETE' : 'PUT', `/me/mutes/${author!.id}`);
      // The page's list of muted readers is what every comment reads; showing this one again redraws them all.
      s.muted = { ids: hushed ? muted.filter((id) => id !== author!.id) : [...muted, author!.id], label: widgetExtras.mutedRow };
      w.show(c);
      w.announce((hushed ? m.unmuted : m.muted)(author!.name));
      // The comment folds up (or opens out): focus goes to its one-line summary, or back to its menu.
      requestAnimationFrame(() => (hushed ? toMenu(c.id) : document.querySelector<HTMLElement>(`#comment-${c.id} .parley-muted > summary`)?.focus()));
    } catch (err) {
      failed(err);
    }
  });
  const feature = pick(async () => {
    try {
      const res = await w.api.call<{ featured: boolean }>('PUT', `/admin/comments/${c.id}/feature`, { featured: !c.featured });
      w.show({ ...c, featured: res.featured });
      w.announce(res.featured ? m.featured : m.unfeatured);
    } catch (err) {
      failed(err);
    }
  });
  const copy = async () => {
    close();
    try {
      await navigator.clipboard.writeText(new URL(`?comment=${c.id}#comment-${c.id}`, location.href).href);
      w.announce(m.copied);
    } catch (err) {
      failed(err);
    }
  };
  const vote = (value: -1 | 1) => (e: Event) => {
    if (wantsIn) return w.prompt(e.currentTarget as HTMLElement);
    failed(null);
    w.vote(c, c.myVote === value ? 0 : value).catch(failed);
  };
  const voteButton = (value: -1 | 1) => (
    <button
      type="button"
      aria-label={value > 0 ? m.upVote : m.downVote}
      aria-pressed={c.myVote === value ? 'true' : 'false'}
      aria-disabled={title ? 'true' : undefined}
      title={title}
      onClick={vote(value)}
    >
      {value > 0 ? '▲' : '▼'}
    </button>
  );

  return (
    <footer>
      <span class="parley-votes" role="group" aria-label={m.votes}>
        {voteButton(1)}
        <span class="parley-score">{c.score}</span>
        {voteButton(-1)}
      </span>
      {visible && wantsIn ? (
        <button type="button" aria-haspopup="dialog" onClick={(e) => w.prompt(e.currentTarget as HTMLElement)}>
          {m.reply}
        </button>
      ) : visible && s.canParticipate ? (
        <button
          type="button"
          ref={replyButton}
          aria-expanded={mode === 'reply' ? 'true' : 'false'}
          onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}
        >
          {m.reply}
        </button>
      ) : null}
      <details class="parley-more" ref={details}>
        <summary aria-label={m.more}>⋯</summary>
        <div class="parley-menu" ref={list}>
          {s.canParticipate && visible ? (
            <button type="button" onClick={pick(() => quote(selectionIn(body) || c.bodySrc || body?.innerText || ''))}>
              {m.quote}
            </button>
          ) : null}
          {s.viewer && !mine && visible && !reported ? (
            <button type="button" aria-expanded={mode === 'report' ? 'true' : 'false'} onClick={pick(() => setMode(mode === 'report' ? 'view' : 'report'))}>
              {m.report}
            </button>
          ) : null}
          {c.canEdit && mode !== 'edit' ? (
            <button type="button" onClick={pick(() => setMode('edit'))}>
              {m.edit}
            </button>
          ) : null}
          {c.canDelete ? (
            <button type="button" onClick={pick(() => setMode('confirm-delete'))}>
              {m.delete}
            </button>
          ) : null}
          {s.viewer && !mine && author ? (
            <button type="button" onClick={mute}>
              {(hushed ? m.unmute : m.mute)(author.name)}
            </button>
          ) : null}
          {s.viewer && s.viewer.role !== 'reader' && visible ? (
            <button type="button" onClick={feature}>
              {c.featured ? m.unfeature : m.feature}
            </button>
          ) : null}
          <button type="button" onClick={copy}>
            {m.copyLink}
          </button>
        </div>
      </details>
    </footer>
  );
}

/** "Delete this comment?" with Yes and Keep, under the comment once Delete is chosen. */
export function Confirm({ c, w, setMode, failed }: Pick<Props, 'c' | 'w' | 'setMode' | 'failed'>) {
  const m = widgetExtras.actions;
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <p class="parley-confirm" role="group" aria-label={m.deleteConfirm}>
      <span>{m.deleteConfirm}</span>
      <button
        type="button"
        class="parley-danger"
        onClick={async () => {
          try {
            const res = await w.api.call<CommentChanged>('DELETE', `/comments/${c.id}`);
            w.show(res.comment, res.commentCount);
            w.announce(m.deleted);
            setMode('view');
          } catch (err) {
            failed(err);
          }
        }}
      >
        {m.deleteYes}
      </button>
      <button
        type="button"
        ref={keep}
        onClick={() => {
          setMode('view');
          toMenu(c.id);
        }}
      >
        {m.deleteNo}
      </button>
    </p>
  );
}
