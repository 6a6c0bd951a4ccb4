import type { Comment, CommentView } from '../../src/domain/types.js';

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

/** A visible top-level comment as a reader sees it (`id`'s author, body and minute unless given), for unit tests of the widget and pages. */
export function aCommentView(id: number, over: Partial<CommentView> = {}): CommentView {
  return {
    id,
    parentId: null,
    rootId: null,
    depth: 0,
    author: { id: 100 + id, name: `Reader ${id}` },
    replyTo: null,
    bodyHtml: `<p>${id}</p>`,
    bodySrc: null,
    status: 'visible',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(),
    editedAt: null,
    editedBy: null,
    score: 0,
    up: 0,
    down: 0,
    myVote: 0,
    replyCount: 0,
    anchor: null,
    canEdit: false,
    canDelete: false,
    ...over,
  };
}
