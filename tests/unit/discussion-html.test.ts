import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { CommentView, DiscussionState, ThreadPage } from '../../src/domain/types.js';
import { DiscussionMarkup } from '../../src/render/discussion-html.js';
import { Discussion } from '../../web/widget/Discussion.js';
import { aCommentView } from '../support/comment.js';

const at = '2026-11-30T10:00:00.000Z';
const view = (over: Partial<CommentView> & { id: number; author: { id: number; name: string } }): CommentView =>
  aCommentView(over.id, { createdAt: at, bodyHtml: `<p>Comment ${over.id}</p>`, ...over });

const ann = { id: 1, name: 'Ann' };
const bob = { id: 2, name: 'Bob' };
const reader = { id: 7, name: 'Reader <b>&amp;</b>' };

function sharedPage(): ThreadPage {
  const root1 = view({ id: 10, author: ann, replyCount: 2 });
  const root2 = view({ id: 20, author: { ...reader }, replyCount: 1 });
  return {
    sort: 'top',
    nextCursor: null,
    since: 5,
    threads: [
      {
        comment: root1,
        replies: [
          view({ id: 11, author: bob, parentId: 10, rootId: 10, depth: 1, replyTo: 'Ann' }),
          view({ id: 12, author: { ...reader }, parentId: 11, rootId: 10, depth: 2, replyTo: 'Bob' }),
        ],
        repliesCursor: null,
        moreReplies: 0,
      },
      {
        comment: root2,
        replies: [view({ id: 21, author: ann, parentId: 20, rootId: 20, depth: 1, replyTo: reader.name })],
        repliesCursor: null,
        moreReplies: 0,
      },
    ],
  };
}

function stateOf(page: ThreadPage): DiscussionState {
  return {
    article: { id: 1, slug: 'a', title: 'A', policy: 'subscribers', commentCount: 5 },
    viewer: { id: reader.id, name: reader.name, email: 'r@example.com', role: 'reader', subscriber: true, subscriberUntil: null },
    follow: { article: true, replies: true, digest: 'instant' },
    canParticipate: true,
    blockedReason: null,
    blockedMessage: null,
    csrfToken: 'token',
    page,
    focusCommentId: null,
    limits: { maxLength: 5000, editWindowMinutes: 15, indentDepth: 4 },
    now: at,
    timeZone: 'UTC',
  };
}

/** The reader's page as Discussions personalises the shared one: their votes and rights. */
function personalise(shared: ThreadPage, votes: Record<number, -1 | 1>, mine: (c: CommentView) => boolean): ThreadPage {
  const p = (c: CommentView): CommentView => ({ ...c, myVote: votes[c.id] ?? 0, canEdit: mine(c), canDelete: mine(c) });
  return { ...shared, threads: shared.threads.map((t) => ({ ...t, comment: p(t.comment), replies: t.replies.map(p) })) };
}

const whole = (state: DiscussionState) => renderToString(h(Discussion, { state }));

describe('a signed-in reader’s discussion markup, rendered once per kind of reader', () => {
  it('is exactly the whole render for a reader with their own comments and votes', () => {
    const shared = sharedPage();
    const markup = new DiscussionMarkup();
    const page = personalise(shared, { 11: 1, 21: -1 }, (c) => c.author?.id === reader.id);
    const state = stateOf(page);
    const out = markup.html(state, shared);
    expect(out).toBe(whole(state));
    expect(out).toContain('Reader &lt;b>&amp;amp;&lt;/b>');
    expect(out).not.toContain('\u2063');
  });

  it('serves the next reader of the same kind from the shared render, with their own parts', () => {
    const shared = sharedPage();
    const markup = new DiscussionMarkup();
    markup.html(stateOf(personalise(shared, {}, () => false)), shared);
    const other = { ...stateOf(personalise(shared, { 10: 1 }, () => false)) };
    other.viewer = { ...other.viewer!, id: 99, name: 'Zed' };
    expect(markup.html(other, shared)).toBe(whole(other));
  });

  it('keeps what one reader muted to that reader: the next reader of the same kind sees every comment open', async () => {
    const shared = sharedPage();
    const markup = new DiscussionMarkup();
    const muting = personalise(shared, {}, () => false);
    for (const t of muting.threads)
      for (const [i, c] of [t.comment, ...t.replies].entries()) {
        if (c.author?.id !== ann.id) continue;
        if (i === 0) t.comment = { ...c, muted: true };
        else t.replies = t.replies.map((r) => (r.id === c.id ? { ...r, muted: true } : r));
      }
    const a: DiscussionState = { ...stateOf(muting), muted: { ids: [ann.id], label: 'Muted reader' } };
    expect(markup.html(a, shared)).toBe(whole(a));
    expect(markup.html(a, shared)).toContain('Muted reader');
    const b = stateOf(personalise(shared, {}, () => false));
    b.viewer = { ...b.viewer!, id: 60, name: 'Ola' };
    expect(markup.html(b, shared)).toBe(whole(b));
    expect(markup.html(b, shared)).not.toContain('Muted reader');
  });

  it('keeps long pages in deflated runs and redoes only the runs whose markup differs for the reader', () => {
    const long = `<p>${'A sentence of some length to fill the page. '.repeat(30)}</p>`;
    const cy = { id: 3, name: 'Cy' };
    const shared: ThreadPage = {
      sort: 'newest',
      nextCursor: null,
      threads: Array.from({ length: 30 }, (_, i) => ({
        comment: view({ id: 100 + i, author: i === 25 ? cy : i === 5 ? { ...reader } : ann, bodyHtml: long }),
        replies: [],
        repliesCursor: null,
        moreReplies: 0,
      })),
    };
    const markup = new DiscussionMarkup();
    // Their own comment (105) and their vote (103) look the same in the markup: only the browser draws controls.
    const page = personalise(shared, { 103: 1 }, (c) => c.author?.id === reader.id);
    page.threads[25] = { ...page.threads[25]!, comment: { ...page.threads[25]!.comment, muted: true } };
    const state: DiscussionState = { ...stateOf(page), muted: { ids: [cy.id], label: 'Muted reader' } };
    const { pieces } = markup.pieces(state, shared)!;
    const kept = pieces.filter((p) => !Buffer.isBuffer(p));
    expect(pieces.length).toBeGreaterThan(3);
    // Redone: the run with Cy's comment, collapsed for this reader, and the part with their name.
    expect(pieces.length - kept.length).toBe(2);
    expect(markup.html(state, shared)).toBe(whole(state));
  });

  it('renders whole when the reader’s page has comments the shared page has not (their pending reply)', () => {
    const shared = sharedPage();
    const page = personalise(shared, {}, () => false);
    const pending = view({
      id: 13,
      author: { ...reader },
      parentId: 10,
      rootId: 10,
      depth: 1,
      status: 'pending',
      replyTo: 'Ann',
      canEdit: true,
      canDelete: true,
    });
    page.threads[0] = { ...page.threads[0]!, replies: [...page.threads[0]!.replies, pending] };
    const state = stateOf(page);
    expect(new DiscussionMarkup().html(state, shared)).toBe(whole(state));
  });

  it('keeps kinds of reader apart: one who may not take part sees no reply buttons', () => {
    const shared = sharedPage();
    const markup = new DiscussionMarkup();
    const subscriber = stateOf(personalise(shared, {}, () => false));
    markup.html(subscriber, shared);
    const blocked: DiscussionState = { ...subscriber, canParticipate: false, blockedReason: 'subscribe', blockedMessage: 'Subscribe to take part.' };
    blocked.viewer = { ...blocked.viewer!, id: 50, name: 'Nia' };
    expect(markup.html(blocked, shared)).toBe(whole(blocked));
    expect(markup.html(blocked, shared)).not.toBe(markup.html({ ...subscriber, viewer: blocked.viewer }, shared));
  });
});
