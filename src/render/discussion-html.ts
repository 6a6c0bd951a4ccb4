import { Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { CommentView, DiscussionState, ThreadPage, ThreadView } from '../domain/types.js';
import { Deflated, type Piece } from '../http/composed-gzip.js';
import { pieceMark } from '../http/page-pieces.js';
import { Discussion } from '../../web/widget/Discussion.js';

// Stands for the reader's name in the markup shared by readers of one kind. Random, so no
// author can put it in their own name and have it replaced by each reader's.
const NAME = pieceMark('name');

/** Text as the renderer writes it in markup: the reader's name is found, and put, escaped exactly so. */
export const textMarkup = (s: string) => renderToString(h(Fragment, null, s));

const render = (state: DiscussionState) => renderToString(h(Discussion, { state }));

const commentsOf = (threads: ThreadView[]) => threads.flatMap((t) => [t.comment, ...t.replies]);

// What a reader's page may hold of a comment that the server's markup does not show: their vote
// and rights reach the controls, which only the browser draws (tests/unit/discussion-html.test.ts
// fails should the markup come to show them).
const NOT_IN_MARKUP = new Set(['myVote', 'canEdit', 'canDelete']);

/**
 * Whether a comment's markup differs for this reader from the shared page's: anything of it
 * personalised that the markup shows (collapsed as muted, whatever else a reader's page may come
 * to carry).
 */
function personal(c: CommentView, shared: CommentView | undefined): boolean {
  if (!shared) return true;
  if (c === shared) return false;
  const a = c as unknown as Record<string, unknown>;
  const b = shared as unknown as Record<string, unknown>;
  const differs = (k: string) => !NOT_IN_MARKUP.has(k) && a[k] !== b[k];
  return Object.keys(a).some(differs) || Object.keys(b).some(differs);
}

/** The same threads with the same comments in the same order: the reader's page adds or moves nothing. */
function sameShape(a: ThreadPage, b: ThreadPage): boolean {
  if (a.threads.length !== b.threads.length || a.nextCursor !== b.nextCursor) return false;
  return a.threads.every((t, i) => {
    const u = b.threads[i]!;
    return (
      t.comment.id === u.comment.id &&
      t.moreReplies === u.moreReplies &&
      t.replies.length === u.replies.length &&
      t.replies.every((r, j) => r.id === u.replies[j]!.id)
    );
  });
}

/** One comment's element in rendered markup: comments are sibling `<article>`s with none inside. */
function commentElement(html: string, id: number): { start: number; end: number } | null {
  const start = html.indexOf(`<article id="comment-${id}"`);
  if (start < 0) return null;
  const close = html.indexOf('</article>', start);
  return close < 0 ? null : { start, end: close + '</article>'.length };
}

/** Beyond this many comments whose markup differs for the reader, their discussion is rendered whole. */
const MAX_SPLICED = 100;
/** Threads are kept deflated in runs of about this many bytes: small runs compress worse, big ones cost more to redo. */
const RUN_BYTES = 8192;

/** A run of the shared markup: whole threads (or the part before them), kept deflated too. */
interface Run {
  html: string;
  deflated: Deflated;
  /** Whether it shows the reader's name (NAME): then it is the reader's own piece. Known once, not looked for on each view. */
  named: boolean;
}

/** Splits markup before each thread, into runs of at least RUN_BYTES (the part before the threads alone). */
function runsOf(html: string): Run[] {
  const cuts = [...html.matchAll(/<li class="parley-thread"/g)].map((m) => m.index);
  const runs: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (runs.length === 0 || cut - from >= RUN_BYTES) {
      if (cut > from) runs.push(html.slice(from, cut));
      from = cut;
    }
  }
  runs.push(html.slice(from));
  return runs.map((r) => ({ html: r, deflated: new Deflated(Buffer.from(r)), named: r.includes(NAME) }));
}

/**
 * A signed-in reader's discussion markup, mostly shared. Readers of one kind (who may take part,
 * or why not) see the same markup but for their name and the few comments that look different to
 * them (collapsed as muted, say; votes and rights only reach controls the browser draws), so the
 * markup is rendered (and deflated) once per kind, for a reader who is nobody in particular, and
 * those few comments are rendered for the reader and put in their place. Rendering and
 * compressing the whole tree took most of a signed-in page's time.
 */
export class DiscussionMarkup {
  // Keyed by the shared page object itself: a new page (after any change) renders afresh, and
  // an old one's renders go with it.
  private readonly byPage = new WeakMap<ThreadPage, Map<string, { runs: Run[]; now: string }>>();

  /** The markup whole, as a string, for `state` as `pieces` leaves it. */
  html(state: DiscussionState, shared: ThreadPage | undefined): string {
    const made = this.pieces(state, shared);
    return made ? made.pieces.map((p) => (p instanceof Deflated ? p.raw : p).toString()).join('') : render(state);
  }

  /**
   * The markup as pieces, shared runs deflated already, and the moment its times were rendered
   * for (the state the widget hydrates from must say the same); null when this reader's page
   * differs from the shared one in more than their own comments (render it whole). `shared` is
   * the page every reader shares that `state.page` was personalised from.
   */
  pieces(state: DiscussionState, shared: ThreadPage | undefined): { pieces: Piece[]; now: string } | null {
    const viewer = state.viewer;
    if (!viewer || !shared || state.focusCommentId !== null || !sameShape(state.page, shared)) return null;
    const before = this.commentsById(shared);
    const own = commentsOf(state.page.threads).filter((c) => personal(c, before.get(c.id)));
    if (own.length > MAX_SPLICED) return null;
    const { runs, now } = this.forKind(state, shared);
    state = { ...state, now };
    const changed = new Map<number, string>();
    if (own.length) {
      // The reader's own comments rendered in their threads (for their indent), then moved over.
      const ids = new Set(own.map((c) => c.id));
      const mine = render({ ...state, page: { ...state.page, threads: state.page.threads.filter((t) => commentsOf([t]).some((c) => ids.has(c.id))) } });
      for (const c of own) {
        const from = commentElement(mine, c.id);
        const i = runs.findIndex((r) => r.html.includes(`<article id="comment-${c.id}"`));
        const html = changed.get(i) ?? runs[i]?.html;
        const to = html === undefined ? null : commentElement(html, c.id);
        if (!from || !to || html === undefined) return null;
        changed.set(i, html.slice(0, to.start) + mine.slice(from.start, from.end) + html.slice(to.end));
      }
    }
    const name = textMarkup(viewer.name);
    const pieces = runs.map((r, i) => {
      const html = changed.get(i);
      if (html === undefined) return r.named ? Buffer.from(r.html.replaceAll(NAME, name)) : r.deflated;
      return Buffer.from(html.includes(NAME) ? html.replaceAll(NAME, name) : html);
    });
    return { pieces, now };
  }

  private readonly byId = new WeakMap<ThreadPage, Map<number, CommentView>>();

  /** The shared page's comments by id, made once per page: every reader's view compares with them. */
  private commentsById(shared: ThreadPage): Map<number, CommentView> {
    let made = this.byId.get(shared);
    if (!made) this.byId.set(shared, (made = new Map(commentsOf(shared.threads).map((c) => [c.id, c]))));
    return made;
  }

  private forKind(state: DiscussionState, shared: ThreadPage): { runs: Run[]; now: string } {
    const kind = JSON.stringify([state.canParticipate, state.blockedReason, state.blockedMessage, state.viewer?.role, state.limits]);
    let renders = this.byPage.get(shared);
    if (!renders) this.byPage.set(shared, (renders = new Map()));
    let made = renders.get(kind);
    if (made === undefined) {
      // A reader nobody is (no comment is theirs, nobody muted), named by a placeholder.
      const anyone = { ...state, viewer: { ...state.viewer!, id: -1, name: NAME }, follow: null, csrfToken: null, muted: undefined, page: shared };
      made = { runs: runsOf(render(anyone)), now: state.now };
      renders.set(kind, made);
    }
    return made;
  }
}
