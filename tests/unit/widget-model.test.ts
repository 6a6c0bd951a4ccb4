import { describe, expect, it } from 'vitest';
import type { CommentView, ThreadView } from '../../src/domain/types.js';
import { foldLive } from '../../web/widget/live.js';
import { aCommentView } from '../support/comment.js';
import { discussion, findComment, newThread, type Action, type LiveMessage, type View } from '../../web/widget/model.js';

const comment = aCommentView;
const reply = (id: number, root: number, over: Partial<CommentView> = {}) => comment(id, { parentId: root, rootId: root, depth: 1, ...over });

const view = (threads: ThreadView[], over: Partial<View> = {}): View => ({
  sort: 'top',
  tab: 'top',
  threads,
  nextCursor: null,
  count: 10,
  waiting: 0,
  arrived: 0,
  stale: 0,
  highlight: null,
  ...over,
});
const ids = (v: View) => v.threads.map((t) => [t.comment.id, ...t.replies.map((r) => r.id)]);
const live = (v: View, msg: LiveMessage, viewerId: number | null = 7) => discussion(v, { type: 'live', msg, viewerId, fold: foldLive });

describe('discussion reducer', () => {
  it('never changes the view it is given', () => {
    const v = view([newThread(comment(1))]);
    const frozen = JSON.stringify(v);
    const actions: Action[] = [
      { type: 'set', to: { busy: true } },
      { type: 'page', page: { threads: [newThread(comment(2))], nextCursor: 'x' }, more: true },
      { type: 'posted', comment: comment(3), count: 11 },
      { type: 'changed', id: 1, to: (c) => ({ ...c, up: 5 }) },
    ];
    for (const a of actions) expect(discussion(v, a)).not.toBe(v);
    expect(JSON.stringify(v)).toBe(frozen);
  });

  it('sets the sort order, tab, loading state, failure and highlighted comment', () => {
    const v = discussion(view([]), { type: 'set', to: { sort: 'newest', tab: 'newest', busy: true, error: null } });
    expect(v).toMatchObject({ sort: 'newest', tab: 'newest', busy: true, error: null });
    expect(discussion(v, { type: 'set', to: { tab: 'inline' } })).toMatchObject({ sort: 'newest', tab: 'inline' });
    expect(discussion(v, { type: 'set', to: { highlight: 4 } }).highlight).toBe(4);
  });

  it('replaces the threads with a first page and forgets waiting comments; appends a further page without repeats', () => {
    const v = view([newThread(comment(1)), newThread(comment(2))], { waiting: 3, nextCursor: 'a' });
    const first = discussion(v, { type: 'page', page: { threads: [newThread(comment(5))], nextCursor: 'b' } });
    expect(ids(first)).toEqual([[5]]);
    expect(first).toMatchObject({ waiting: 0, nextCursor: 'b' });
    const more = discussion(v, { type: 'page', page: { threads: [newThread(comment(2)), newThread(comment(3))], nextCursor: null }, more: true });
    expect(ids(more)).toEqual([[1], [2], [3]]);
    expect(more).toMatchObject({ waiting: 3, nextCursor: null });
  });

  it('puts a posted comment first, and a posted reply in its thread in time order, with the new count', () => {
    const v = view([newThread(comment(1)), { ...newThread(comment(2)), replies: [reply(4, 2)] }]);
    const posted = discussion(v, { type: 'posted', comment: comment(9), count: 11 });
    expect(ids(posted)).toEqual([[9], [1], [2, 4]]);
    expect(posted.count).toBe(11);
    const replied = discussion(v, { type: 'posted', comment: reply(3, 2), count: 12 });
    expect(ids(replied)).toEqual([[1], [2, 3, 4]]);
    expect(replied.count).toBe(12);
  });

  it('applies an edit, a deletion (with its count) and a vote to the comment wherever it is shown', () => {
    const v = view([{ ...newThread(comment(1)), replies: [reply(2, 1)] }]);
    const edited = discussion(v, { type: 'changed', id: 2, to: () => reply(2, 1, { bodyHtml: '<p>new</p>' }) });
    expect(edited.threads[0]!.replies[0]!.bodyHtml).toBe('<p>new</p>');
    expect(edited.count).toBe(10);
    const deleted = discussion(v, { type: 'changed', id: 1, to: () => comment(1, { status: 'deleted', author: null }), count: 9 });
    expect(deleted.threads[0]!.comment.status).toBe('deleted');
    expect(deleted.count).toBe(9);
    const voted = discussion(v, { type: 'changed', id: 2, to: (c) => ({ ...c, up: 1, score: 1, myVote: 1 }) });
    expect(voted.threads[0]!.replies[0]).toMatchObject({ up: 1, score: 1, myVote: 1, bodyHtml: '<p>2</p>' });
  });

  it('merges more replies and moves the thread cursor on; a linked thread goes first, once', () => {
    const v = view([{ ...newThread(comment(1)), replies: [reply(2, 1)], repliesCursor: 'c', moreReplies: 3 }, newThread(comment(5))]);
    const more = discussion(v, { type: 'replies', rootId: 1, page: { replies: [reply(3, 1), reply(2, 1)], repliesCursor: 'd', moreReplies: 1 } });
    expect(ids(more)).toEqual([[1, 2, 3], [5]]);
    expect(more.threads[0]).toMatchObject({ repliesCursor: 'd', moreReplies: 1 });
    const last = discussion(v, { type: 'replies', rootId: 1, page: { replies: [], repliesCursor: null, moreReplies: 4 } });
    expect(last.threads[0]).toMatchObject({ repliesCursor: null, moreReplies: 0 });
    expect(ids(discussion(v, { type: 'thread', thread: newThread(comment(5)) }))).toEqual([[5], [1, 2]]);
  });
});

describe('live events', () => {
  const v = view([{ ...newThread(comment(1, { canEdit: true, canDelete: true, myVote: 1 })), replies: [reply(2, 1)] }]);

  it('puts a new thread first in the newest order (to be announced), and only offers it in the others', () => {
    const newest = live({ ...v, sort: 'newest' }, { type: 'comment.created', comment: comment(3), commentCount: 11 });
    expect(ids(newest)).toEqual([[3], [1, 2]]);
    expect(newest).toMatchObject({ count: 11, arrived: 1, waiting: 0 });
    const top = live(v, { type: 'comment.created', comment: comment(3), commentCount: 11 });
    expect(ids(top)).toEqual([[1, 2]]);
    expect(top).toMatchObject({ count: 11, arrived: 0, waiting: 1 });
  });

  it('never offers the reader their own new comment as news, whichever of its event and the post’s answer comes first (issue 15)', () => {
    const own = comment(3, { author: { id: 7, name: 'Me' } });
    const answer = { ...own, canEdit: true, canDelete: true };
    for (const sort of ['top', 'oldest', 'newest'] as const) {
      // The event first: shown at once, first, announced as nothing new; the answer then takes its place.
      const early = live({ ...v, sort }, { type: 'comment.created', comment: own, commentCount: 11 });
      expect(early).toMatchObject({ waiting: 0, arrived: 0, count: 11 });
      expect(ids(early)).toEqual([[3], [1, 2]]);
      const settled = discussion(early, { type: 'posted', comment: answer, count: 11 });
      expect(ids(settled)).toEqual([[3], [1, 2]]);
      expect(findComment(settled.threads, 3)).toMatchObject({ canEdit: true, canDelete: true });
      // The answer first: the event finds it shown and changes nothing.
      const posted = discussion({ ...v, sort }, { type: 'posted', comment: answer, count: 11 });
      expect(live(posted, { type: 'comment.created', comment: own, commentCount: 11 })).toMatchObject({ waiting: 0, arrived: 0, threads: posted.threads });
    }
  });

  it('adds a reply to a shown thread with no rights but deleting one’s own, and ignores one already shown or in a thread not shown', () => {
    const mine = live(v, { type: 'comment.created', comment: reply(3, 1, { author: { id: 7, name: 'Me' } }) });
    expect(ids(mine)).toEqual([[1, 2, 3]]);
    expect(findComment(mine.threads, 3)).toMatchObject({ canEdit: false, canDelete: true, myVote: 0 });
    expect(findComment(live(v, { type: 'comment.created', comment: reply(4, 1) }).threads, 4)).toMatchObject({ canDelete: false });
    expect(live(v, { type: 'comment.created', comment: reply(2, 1, { bodyHtml: 'x' }) }).threads).toBe(v.threads);
    expect(live(v, { type: 'comment.created', comment: reply(9, 8) }).threads).toBe(v.threads);
  });

  it('applies edits and votes while keeping the viewer’s vote and rights; a deletion takes the rights away', () => {
    const edited = live(v, { type: 'comment.edited', comment: comment(1, { bodyHtml: 'new', up: 4 }) });
    expect(edited.threads[0]!.comment).toMatchObject({ bodyHtml: 'new', up: 4, myVote: 1, canEdit: true, canDelete: true });
    const deleted = live(v, { type: 'comment.deleted', comment: comment(1, { status: 'deleted' }), commentCount: 9 });
    expect(deleted.threads[0]!.comment).toMatchObject({ status: 'deleted', canEdit: false, canDelete: false });
    expect(deleted.count).toBe(9);
    expect(live(v, { type: 'comment.voted', comment: comment(42) })).toBe(v);
  });

  it('drops a hidden comment, with its thread when it starts one', () => {
    expect(ids(live(v, { type: 'comment.hidden', comment: { id: 2 } as CommentView }))).toEqual([[1]]);
    expect(ids(live(v, { type: 'comment.hidden', comment: { id: 1 } as CommentView }))).toEqual([]);
  });

  it('under the Featured tab offers a new pick, not new comments, and redraws a shown pick (issue 16)', () => {
    const v = view([newThread(comment(1, { featured: true }))], { sort: 'featured', tab: 'featured' });
    const created = live(v, { type: 'comment.created', comment: comment(3), commentCount: 11 });
    expect(ids(created)).toEqual([[1]]);
    expect(created).toMatchObject({ waiting: 0, arrived: 0, count: 11 });
    const picked = live(v, { type: 'comment.edited', comment: comment(4, { featured: true }), commentCount: 11 });
    expect(ids(picked)).toEqual([[1]]);
    expect(picked.waiting).toBe(1);
    const unpicked = live(v, { type: 'comment.edited', comment: comment(1), commentCount: 11 });
    expect(findComment(unpicked.threads, 1)!.featured).toBeUndefined();
    // Elsewhere a pick is an edit like any other: its badge appears where it is shown.
    const top = view([newThread(comment(5))]);
    expect(findComment(live(top, { type: 'comment.edited', comment: comment(5, { featured: true }), commentCount: 10 }).threads, 5)!.featured).toBe(true);
  });

  it('counts a reset so the widget reloads the first page', () => {
    const reset = live(v, { type: 'reset', commentCount: 12 });
    expect(reset).toMatchObject({ stale: 1, count: 12 });
    expect(reset.threads).toBe(v.threads);
  });
});
