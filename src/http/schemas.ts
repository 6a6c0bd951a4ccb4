import { Type } from '@sinclair/typebox';

/** Shapes shared by several routes; each route keeps its own request schema beside its handler. */
export const ErrorBody = Type.Object(
  // `commentId`: the comment an error is about (a duplicate names the one already posted).
  { error: Type.Object({ code: Type.String(), message: Type.String(), commentId: Type.Optional(Type.Integer()) }) },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer' },
);

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const Cursor = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
// Shapes that cross HTTP are defined in src/domain/views.ts, where the widget finds their types too.
export {
  CommentViewSchema as CommentView,
  SortSchema as Sort,
  ThreadPageSchema as ThreadPage,
  ThreadViewSchema as ThreadView,
  VoteValueSchema as VoteValue,
} from '../domain/views.js';

/** Standard error answers to list in every route's OpenAPI entry. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
