import type { Comment } from '../../src/domain/types.js';

/** A visible top-level comment with every field filled, for unit tests of pure rules. */
export function aComment(over: Partial<Comment> = {}): Comment {
  return {
    id: 10,
    articleId: 1,
    parentId: null,
    rootId: null,
    depth: 0,
    authorId: 1,
    authorName: 'A',
    bodySrc: 'x',
    bodyHtml: '<p>x</p>',
    status: 'visible',
    createdAt: new Date('2026-11-20T12:00:00Z'),
    editedAt: null,
    editedByName: null,
    replyToName: null,
    score: 0,
    up: 0,
    down: 0,
    replyCount: 0,
    anchor: null,
    rankScore: 0,
    pinned: false,
    locked: false,
    featuredAt: null,
    moderationReason: null,
    ...over,
  };
}
