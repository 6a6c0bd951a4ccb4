import { describe, expect, it } from 'vitest';
import { compactThreads, ownFields, restoreThreads, type Shown, USUAL } from '../../src/domain/hydration.js';
import type { CommentView, ThreadView } from '../../src/domain/views.js';
import { aCommentView } from '../support/comment.js';

const at = (m: number) => new Date(Date.UTC(2026, 10, 30, 10, m)).toISOString();

const view = (over: Partial<CommentView> & { id: number }): CommentView =>
  aCommentView(over.id, {
    author: { id: over.id * 10, name: `Reader ${over.id}` },
    bodyHtml: `<p>Comment ${over.id}</p>`,
    bodySrc: `Comment ${over.id}`,
    createdAt: at(over.id),
    pinned: false,
    locked: false,
    ...over,
  });

/** What the page's markup shows of each comment, as the browser reads it back. */
const markupOf = (threads: ThreadView[]) => {
  const all = new Map(threads.flatMap((t) => [t.comment, ...t.replies]).map((c) => [c.id, c]));
  return (id: number): Shown => {
    const c = all.get(id)!;
    // As CommentItem shows them: "Reply to" links to the parent; a deleted comment shows no score.
    return {
      bodyHtml: c.bodyHtml,
      name: c.author?.name ?? '',
      createdAt: c.createdAt,
      parentId: c.replyTo ? c.parentId : null,
      score: c.status === 'deleted' ? null : c.score,
    };
  };
};

/** The threads without their sources: the page never carries them (the editor fetches its own). */
const sourceless = (threads: ThreadView[]): ThreadView[] =>
  threads.map((t) => ({ ...t, comment: { ...t.comment, bodySrc: null }, replies: t.replies.map((r) => ({ ...r, bodySrc: null })) }));

/** Through JSON, as the page carries it. */
const roundTrip = (threads: ThreadView[]) => restoreThreads(JSON.parse(JSON.stringify(compactThreads(threads))), markupOf(threads));

describe('the hydration state of a page', () => {
  const root = view({ id: 1, up: 5, down: 1, score: 4, replyCount: 4, pinned: true, locked: false });
  const reply = view({ id: 2, parentId: 1, rootId: 1, depth: 1, replyTo: 'Reader 1', up: 2, score: 2, myVote: 1 });
  const deep = view({ id: 3, parentId: 2, rootId: 1, depth: 2, replyTo: 'Reader 2', editedAt: at(9), editedBy: 'A moderator' });
  // Its parent is not on the page (held by moderation): depth and name are said outright.
  const orphan = view({ id: 5, parentId: 4, rootId: 1, depth: 3, replyTo: 'Someone hidden', canEdit: true, canDelete: true, status: 'pending' });
  // Its parent was deleted: the stored name of whom it answers differs from the placeholder's.
  const gone = view({ id: 6, author: null, bodyHtml: '', bodySrc: null, status: 'deleted', replyCount: 1, up: 2, down: 1, score: 1 });
  const underGone = view({ id: 7, parentId: 6, rootId: 6, depth: 1, replyTo: 'Was here', byArticleAuthor: true, score: 3, up: 1, down: 0 });
  const threads: ThreadView[] = [
    { comment: root, replies: [reply, deep, orphan], repliesCursor: 'next', moreReplies: 2 },
    { comment: gone, replies: [underGone], repliesCursor: null, moreReplies: 0 },
    { comment: view({ id: 8 }), replies: [], repliesCursor: null, moreReplies: 0 },
  ];

  it('gives the widget back exactly the threads the server rendered', () => {
    expect(roundTrip(threads)).toEqual(sourceless(threads));
  });

  it('leaves out what the markup shows, what the thread implies and every field at its usual value', () => {
    const compact = compactThreads(threads);
    for (const c of compact.flatMap((t) => [t.comment, ...(t.replies ?? [])])) {
      expect(c).not.toHaveProperty('bodyHtml');
      expect(c).not.toHaveProperty('bodySrc');
      expect(c).not.toHaveProperty('createdAt');
      expect(c).not.toHaveProperty('rootId');
      // The author by id alone, and no score: the markup shows the name and the score.
      if (c.author !== null) expect(typeof c.author).toBe('number');
      if (c.status !== 'deleted') expect(c).not.toHaveProperty('score');
      for (const [k, v] of Object.entries(USUAL)) if (k in c) expect((c as Record<string, unknown>)[k], `${c.id}.${k}`).not.toBe(v);
      if ('locked' in c || 'pinned' in c) expect(c.locked ?? c.pinned).toBe(true);
    }
    expect(compact[2]).toEqual({ comment: { id: 8, author: 80 } });
    // The parent is the one its "Reply to" link points at; depth and whom it answers follow from
    // the parent shown before it...
    expect(compact[0]!.replies![1]).toEqual({ id: 3, author: 30, editedAt: at(9), editedBy: 'A moderator' });
    // ...and are kept when the parent is not shown, or answers to another name; so are up votes
    // that the score shown and the down votes do not explain.
    expect(compact[0]!.replies![2]).toMatchObject({ depth: 3, replyTo: 'Someone hidden' });
    expect(compact[0]!.replies![2]).not.toHaveProperty('parentId');
    expect(compact[1]!.replies![0]).toMatchObject({ replyTo: 'Was here', up: 1 });
    // Up votes the score shows are left out; down votes are said (the score alone cannot tell them).
    expect(compact[0]!.comment).toMatchObject({ down: 1 });
    expect(compact[0]!.comment).not.toHaveProperty('up');
    // A deleted comment has no author (null, said outright) and shows no score: its votes are said, its score follows.
    expect(compact[1]!.comment).toMatchObject({ author: null, status: 'deleted', up: 2, down: 1 });
    expect(compact[1]!.comment).not.toHaveProperty('score');
  });

  it("carries a reader's own votes, rights and mutes apart from the threads every reader shares", () => {
    // As Discussions personalises the shared page: views nothing changed for the reader stay the same objects.
    const mine = threads.map((t, i) => ({
      ...t,
      comment: i === 2 ? { ...t.comment, myVote: -1 as const, muted: true } : t.comment,
      replies: t.replies.map((r) => (r.id === 3 ? { ...r, myVote: 1 as const, canEdit: true, canDelete: true } : r)),
    }));
    const own = ownFields(mine, threads)!;
    expect(own).toEqual({ 3: { myVote: 1, canEdit: true, canDelete: true }, 8: { myVote: -1, muted: true } });
    const shared = JSON.parse(JSON.stringify(compactThreads(threads)));
    expect(restoreThreads(shared, markupOf(threads), JSON.parse(JSON.stringify(own)))).toEqual(sourceless(mine));
    // Nothing of their own: nothing beside the shared threads.
    expect(
      ownFields(
        threads.map((t) => ({ ...t })),
        threads,
      ),
    ).toEqual({});
  });

  it("carries a reader's threads whole when they differ from the shared ones in more than plain fields", () => {
    const moved = [threads[1]!, threads[0]!, threads[2]!];
    expect(ownFields(moved, threads)).toBeNull();
    expect(ownFields(threads.slice(1), threads)).toBeNull();
    const extra = [{ ...threads[0]!, replies: [...threads[0]!.replies, view({ id: 9, parentId: 1, rootId: 1, depth: 1 })] }, threads[1]!, threads[2]!];
    expect(ownFields(extra, threads)).toBeNull();
    const renamed = [{ ...threads[0]!, comment: { ...root, author: { id: 10, name: 'Someone else' } } }, threads[1]!, threads[2]!];
    expect(ownFields(renamed, threads)).toBeNull();
    const moreShown = [{ ...threads[0]!, moreReplies: 1 }, threads[1]!, threads[2]!];
    expect(ownFields(moreShown, threads)).toBeNull();
  });

  it('stays small: under 40 bytes a comment for an ordinary thread', () => {
    const many: ThreadView[] = [1, 2, 3].map((n) => ({
      comment: view({ id: n * 100, up: n, score: n, replyCount: 5 }),
      replies: [1, 2, 3, 4, 5].map((k) =>
        view({
          id: n * 100 + k,
          parentId: n * 100 + (k > 2 ? k - 1 : 0),
          rootId: n * 100,
          depth: k > 2 ? k - 1 : 1,
          replyTo: `Reader ${n * 100 + (k > 2 ? k - 1 : 0)}`,
        }),
      ),
      repliesCursor: null,
      moreReplies: 0,
    }));
    expect(roundTrip(many)).toEqual(sourceless(many));
    expect(JSON.stringify(compactThreads(many)).length / 18).toBeLessThan(40);
  });
});
