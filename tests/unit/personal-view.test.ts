import { describe, expect, it } from 'vitest';
import { commentView, personalView } from '../../src/domain/comment-view.js';
import type { Actor } from '../../src/domain/permissions.js';
import type { CommentView, User } from '../../src/domain/types.js';
import { aComment } from '../support/comment.js';

const now = new Date('2026-11-20T12:05:00Z');
const user = (id: number, role: User['role'] = 'reader'): User => ({
  id,
  email: `u${id}@example.com`,
  displayName: `U${id}`,
  role,
  createdAt: new Date('2026-01-01'),
  suspendedUntil: null,
  banned: false,
});
const reader = (id: number, role: User['role'] = 'reader'): Actor => ({ user: user(id, role), subscriber: true, subscriberUntil: null });

/** The guests' view of a comment by user 1, counting how often its time is read. */
function guestView(): { view: CommentView; reads: () => number } {
  const view = commentView(aComment({ authorId: 1 }), null, 0, now, 15);
  let reads = 0;
  const createdAt = view.createdAt;
  Object.defineProperty(view, 'createdAt', { enumerable: true, get: () => (reads++, createdAt) });
  return { view, reads: () => reads };
}

describe("a signed-in reader's view of a guests' comment view", () => {
  it("is the guests' view itself for someone else's comment, without reading its time", () => {
    const { view, reads } = guestView();
    expect(personalView(view, reader(2), 0, now, 15)).toBe(view);
    expect(reads()).toBe(0);
  });

  it('gives the author their rights within the edit window, and staff theirs, from the time', () => {
    const author = guestView();
    expect(personalView(author.view, reader(1), 0, now, 15)).toMatchObject({ canEdit: true, canDelete: true, myVote: 0 });
    expect(author.reads()).toBeGreaterThan(0);
    expect(personalView(author.view, reader(1), 0, new Date(now.getTime() + 60 * 60_000), 15)).toMatchObject({ canEdit: false, canDelete: true });
    expect(personalView(guestView().view, reader(3, 'moderator'), 0, now, 15)).toMatchObject({ canEdit: true, canDelete: true });
  });

  it("carries the reader's vote on others' comments, never on their own", () => {
    expect(personalView(guestView().view, reader(2), 1, now, 15)).toMatchObject({ myVote: 1, canEdit: false });
    expect(personalView(guestView().view, reader(1), 1, now, 15).myVote).toBe(0);
  });
});
