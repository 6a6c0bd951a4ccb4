import { describe, expect, it } from 'vitest';
import { eventOf } from '../../src/domain/discussion-events.js';
import { aComment } from '../support/comment.js';
import type { Comment } from '../../src/domain/types.js';

const c = (over: Partial<Comment>): Comment => aComment(over);

describe('the event a change to a comment makes', () => {
  it.each([
    ['a visible post', null, c({}), 'comment.created'],
    ['a post held for moderation', null, c({ status: 'pending' }), null],
    ['an approval', c({ status: 'pending' }), c({}), 'comment.created'],
    ['a rejection of a held comment', c({ status: 'pending' }), c({ status: 'rejected' }), null],
    ['a rejection of a visible comment', c({}), c({ status: 'rejected' }), 'comment.deleted'],
    ['a deletion', c({}), c({ status: 'deleted', bodySrc: '' }), 'comment.deleted'],
    ['hidden by reports', c({}), c({ status: 'pending' }), 'comment.deleted'],
    ['an edit', c({}), c({ bodySrc: 'other', editedAt: new Date(5) }), 'comment.edited'],
    ['a pin', c({}), c({ pinned: true }), 'comment.edited'],
    ['a lock', c({}), c({ locked: true }), 'comment.edited'],
    ['a vote', c({}), c({ up: 1, score: 1, rankScore: 1 }), 'comment.voted'],
    ['a vote from a young account (counts only)', c({}), c({ up: 1, score: 1 }), 'comment.voted'],
    ['the same vote again', c({ up: 1, score: 1 }), c({ up: 1, score: 1 }), null],
    ['an edit of a held comment', c({ status: 'pending' }), c({ status: 'pending', bodySrc: 'other' }), null],
    ['an edit and a vote at once', c({}), c({ bodySrc: 'other', up: 1 }), 'comment.edited'],
  ] as const)('%s', (_name, before, after, expected) => {
    expect(eventOf(before, after)).toBe(expected);
  });
});
