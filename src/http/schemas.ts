import { Type, type TSchema } from '@sinclair/typebox';

/** Shapes shared by several routes; each route keeps its own request schema beside its handler. */
export const ErrorBody = Type.Object(
  // `commentId`: the comment an error is about (a duplicate names the one already posted).
  { error: Type.Object({ code: Type.String(), message: Type.String(), commentId: Type.Optional(Type.Integer()) }) },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer' },
);

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const Sort = Type.Union([Type.Literal('top'), Type.Literal('newest'), Type.Literal('oldest')], { default: 'top' });
export const Cursor = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
export const VoteValue = Type.Union([Type.Literal(-1), Type.Literal(0), Type.Literal(1)]);

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CommentView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  rootId: Nullable(Type.Integer()),
  depth: Type.Integer(),
  author: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  replyTo: Nullable(Type.String()),
  bodyHtml: Type.String(),
  bodySrc: Nullable(Type.String()),
  status: Type.Union([Type.Literal('visible'), Type.Literal('pending'), Type.Literal('deleted')]),
  createdAt: Type.String({ format: 'date-time' }),
  editedAt: Nullable(Type.String({ format: 'date-time' })),
  editedBy: Nullable(Type.String()),
  score: Type.Integer(),
  up: Type.Integer(),
  down: Type.Integer(),
  myVote: VoteValue,
  replyCount: Type.Integer(),
  anchor: Nullable(Type.Object({ exact: Type.String(), start: Type.Integer(), end: Type.Integer(), status: Type.Union([Type.Literal('anchored'), Type.Literal('orphaned')]) })),
  canEdit: Type.Boolean(),
  canDelete: Type.Boolean(),
  pinned: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
});

export const ThreadView = Type.Object({
  comment: CommentView,
  replies: Type.Array(CommentView),
  repliesCursor: Nullable(Type.String()),
  moreReplies: Type.Integer(),
});

export const ThreadPage = Type.Object({
  sort: Sort,
  threads: Type.Array(ThreadView),
  nextCursor: Nullable(Type.String()),
});

/** Standard error answers to list in every route's OpenAPI entry. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
