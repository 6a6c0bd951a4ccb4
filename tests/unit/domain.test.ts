import { aComment } from '../support/comment.js';
import { describe, expect, it } from 'vitest';
import { normaliseBody } from '../../src/domain/comment-body.js';
import { commentView } from '../../src/domain/comment-view.js';
import { decodeReplyCursor, decodeThreadCursor, encodeReplyCursor, encodeThreadCursor } from '../../src/domain/cursor.js';
import { isSubscriber, subscribedUntil } from '../../src/domain/entitlements.js';
import { AppError } from '../../src/domain/errors.js';
import { canDelete, canEdit, participationBlock, voteBlock, type Actor } from '../../src/domain/permissions.js';
import { mergeReplies, threadRows } from '../../src/domain/tree.js';
import type { Comment, Entitlement, User } from '../../src/domain/types.js';
import { voteDelta } from '../../src/domain/votes.js';

const now = new Date('2026-11-20T12:00:00Z');
const user = (over: Partial<User> = {}): User => ({
  id: 1,
  email: 'a@x.org',
  displayName: 'A',
  role: 'reader',
  createdAt: now,
  suspendedUntil: null,
  banned: false,
  ...over,
});
const actor = (over: Partial<User> = {}, subscriber = true): Actor => ({ user: user(over), subscriber, subscriberUntil: null });
const comment = (over: Partial<Comment> = {}): Comment => aComment({ createdAt: now, ...over });

describe('threadRows', () => {
  const n = (id: number, parentId: number | null) => ({ id, parentId });
  it('orders replies depth-first with siblings in time order', () => {
    const rows = threadRows(n(1, null), [n(2, 1), n(3, 1), n(4, 2), n(5, 3), n(6, 4)], 3);
    expect(rows.map((r) => [r.item.id, r.indent])).toEqual([
      [1, 0],
      [2, 1],
      [4, 2],
      [6, 3],
      [3, 1],
      [5, 2],
    ]);
  });
  it('flattens below the indent depth', () => {
    const chain = [n(2, 1), n(3, 2), n(4, 3), n(5, 4), n(6, 5)];
    expect(threadRows(n(1, null), chain, 2).map((r) => r.indent)).toEqual([0, 1, 2, 2, 2, 2]);
  });
  it('keeps replies whose parent is not shown, under the root', () => {
    expect(threadRows(n(1, null), [n(3, 99)], 3).map((r) => [r.item.id, r.indent])).toEqual([
      [1, 0],
      [3, 1],
    ]);
  });
  it('survives a very deep chain without recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => n(i + 2, i + 1));
    expect(threadRows(n(1, null), chain, 3)).toHaveLength(20_001);
  });
  it('merges more replies without duplicates, in time order', () => {
    const a = [
      { id: 1, createdAt: '2026-01-01T00:00:01Z' },
      { id: 2, createdAt: '2026-01-01T00:00:02Z' },
    ];
    const b = [
      { id: 2, createdAt: '2026-01-01T00:00:02Z' },
      { id: 3, createdAt: '2026-01-01T00:00:00Z' },
    ];
    expect(mergeReplies(a, b).map((x) => x.id)).toEqual([3, 1, 2]);
  });
});

describe('votes', () => {
  it('moves counters by the difference between old and new vote', () => {
    expect(voteDelta(0, 1)).toEqual({ up: 1, down: 0, score: 1 });
    expect(voteDelta(1, 1)).toEqual({ up: 0, down: 0, score: 0 });
    expect(voteDelta(1, -1)).toEqual({ up: -1, down: 1, score: -2 });
    expect(voteDelta(-1, 0)).toEqual({ up: 0, down: -1, score: 1 });
  });
});

describe('entitlements', () => {
  const e = (over: Partial<Entitlement>): Entitlement => ({ userId: 1, source: 'manual', status: 'active', currentPeriodEnd: null, ...over });
  it('counts active, trialing and paid-up cancelled subscriptions', () => {
    expect(isSubscriber([e({})], now)).toBe(true);
    expect(isSubscriber([e({ status: 'trialing', currentPeriodEnd: new Date('2026-12-01') })], now)).toBe(true);
    expect(isSubscriber([e({ status: 'canceled', currentPeriodEnd: new Date('2026-12-01') })], now)).toBe(true);
    expect(isSubscriber([e({ status: 'canceled', currentPeriodEnd: new Date('2026-11-01') })], now)).toBe(false);
    expect(isSubscriber([e({ status: 'revoked' })], now)).toBe(false);
    expect(isSubscriber([], now)).toBe(false);
  });
  it('keeps past_due access for the grace period only', () => {
    const end = new Date(now.getTime() - 24 * 3600_000);
    expect(isSubscriber([e({ status: 'past_due', currentPeriodEnd: end })], now, 2 * 24 * 3600_000)).toBe(true);
    expect(isSubscriber([e({ status: 'past_due', currentPeriodEnd: end })], now, 3600_000)).toBe(false);
  });
  it('reports the latest paid-up date, or none when open-ended', () => {
    expect(subscribedUntil([e({ currentPeriodEnd: new Date('2026-12-01') }), e({ currentPeriodEnd: new Date('2027-01-01') })], now)?.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(subscribedUntil([e({ currentPeriodEnd: new Date('2026-12-01') }), e({})], now)).toBeNull();
  });
});

describe('permissions', () => {
  it('lets subscribers take part under subscriber-only articles and explains why others may not', () => {
    expect(participationBlock(actor(), 'subscribers', now)).toBeNull();
    expect(participationBlock(actor({}, false), 'subscribers', now)).toBe('subscribe');
    expect(participationBlock(actor({}, false), 'members', now)).toBeNull();
    expect(participationBlock(null, 'members', now)).toBe('signin');
    expect(participationBlock(actor(), 'closed', now)).toBe('closed');
    expect(participationBlock(actor({ role: 'moderator' }, false), 'closed', now)).toBeNull();
    expect(participationBlock(actor({ suspendedUntil: new Date('2027-01-01') }), 'subscribers', now)).toBe('suspended');
    expect(participationBlock(actor({ banned: true, role: 'admin' }), 'subscribers', now)).toBe('suspended');
  });
  it('limits editing to the author within the window, and staff', () => {
    const c = comment({ createdAt: new Date(now.getTime() - 60 * 60_000) });
    expect(canEdit(actor(), c, now, 90)).toBe(true);
    expect(canEdit(actor(), c, now, 30)).toBe(false);
    expect(canEdit(actor({ id: 2 }), c, now, 90)).toBe(false);
    expect(canEdit(actor({ id: 2, role: 'moderator' }), c, now, 0)).toBe(true);
    expect(canEdit(actor(), { ...c, status: 'deleted' }, now, 90)).toBe(false);
    expect(canDelete(actor({ id: 2 }), c, now)).toBe(false);
    expect(canDelete(actor(), c, now)).toBe(true);
  });
  it('refuses votes on your own or hidden comments', () => {
    expect(voteBlock(actor(), { commentPolicy: 'subscribers' }, comment(), now)).toBe('own_comment');
    expect(voteBlock(actor({ id: 2 }), { commentPolicy: 'subscribers' }, comment({ status: 'deleted' }), now)).toBe('not_votable');
    expect(voteBlock(actor({ id: 2 }), { commentPolicy: 'subscribers' }, comment(), now)).toBeNull();
    expect(voteBlock(actor({ id: 2 }, false), { commentPolicy: 'subscribers' }, comment(), now)).toBe('subscribe');
  });
});

describe('comment views', () => {
  it('hides everything of a deleted comment but its place', () => {
    const v = commentView(comment({ status: 'deleted', bodyHtml: '<p>secret</p>', bodySrc: 'secret' }), null, 0, now, 60);
    expect(v).toMatchObject({ author: null, bodyHtml: '', bodySrc: null, status: 'deleted', canEdit: false });
  });
  it('never reports a vote on your own comment', () => {
    expect(commentView(comment(), actor(), 1, now, 60).myVote).toBe(0);
  });
});

describe('comment bodies', () => {
  it('normalises and counts characters, not UTF-16 units', () => {
    expect(normaliseBody('  a\r\nb\u0007  ', 10)).toBe('a\nb');
    expect(normaliseBody('😀'.repeat(5), 5)).toBe('😀'.repeat(5));
    expect(() => normaliseBody('😀'.repeat(6), 5)).toThrow(AppError);
    expect(() => normaliseBody(' \n ', 5)).toThrow(/Write something/);
  });
});

describe('cursors', () => {
  it('round-trips and rejects tampering or the wrong sort/thread', () => {
    const c = encodeThreadCursor({ s: 'top', w: 9, k: -3, i: 4 });
    expect(decodeThreadCursor(c, 'top')).toEqual({ s: 'top', w: 9, k: -3, i: 4 });
    expect(() => decodeThreadCursor(c, 'newest')).toThrow(AppError);
    expect(() => decodeThreadCursor('%%%', 'top')).toThrow(AppError);
    expect(() => decodeThreadCursor(Buffer.from('{"s":"top","w":"9","k":1,"i":1}').toString('base64url'), 'top')).toThrow(AppError);
    const r = encodeReplyCursor({ r: 5, w: 9, t: 100, i: 7 });
    expect(decodeReplyCursor(r, 5)).toEqual({ r: 5, w: 9, t: 100, i: 7 });
    expect(() => decodeReplyCursor(r, 6)).toThrow(AppError);
  });
});
