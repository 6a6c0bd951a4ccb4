import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  CommentViewSchema,
  FollowStateSchema,
  PassageRefSchema,
  QueueItemSchema,
  RepliesPageSchema,
  ThreadPageSchema,
  ThreadViewSchema,
  VoteResultSchema,
} from '../domain/views.js';

/** Shapes shared by several routes; each route keeps its own request schema beside its handler. */
export const ErrorBody = Type.Object(
  // `commentId`: the comment an error is about (a duplicate names the one already posted).
  { error: Type.Object({ code: Type.String(), message: Type.String(), commentId: Type.Optional(Type.Integer()) }) },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer' },
);

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const Cursor = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
/** `View all comments`: each top-level comment of the page with all its replies. */
export const AllReplies = Type.Optional(Type.Literal('1', { description: 'Every reply of each thread on the page (View all comments)' }));
/** Threads a reader opened without JavaScript (`Show N more replies`), comma-separated ids, kept open by each further link. */
export const Expand = Type.Optional(Type.String({ maxLength: 400, pattern: '^[0-9]{1,15}(,[0-9]{1,15}){0,39}$' }));
export const expandIds = (s: string | undefined): number[] => (s ? s.split(',').map(Number) : []);
// Shapes that cross HTTP are defined in src/domain/views.ts, where the widget finds their types too.
export { SortSchema as Sort, VoteValueSchema as VoteValue } from '../domain/views.js';

/*
 * The views that cross HTTP are named components of the OpenAPI document: each is registered once
 * with its `$id` (registerSharedSchemas), routes answer with a reference to it, and a view holding
 * another (a ThreadPage's CommentViews) refers to it too. Derived from src/domain/views.ts, so the
 * shape is still defined once; fast-json-stringify resolves the references to the same schema.
 */
const components: { id: string; schema: TSchema; json: string }[] = [];

/** `schema` with every part equal to an earlier component replaced by a reference to it. */
function referToComponents(node: unknown, root: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => referToComponents(n, false));
  if (!node || typeof node !== 'object') return node;
  if (!root) {
    const json = JSON.stringify(node);
    const known = components.find((c) => c.json === json);
    if (known) return { $ref: known.id };
  }
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(node))
    out[key] = typeof key === 'symbol' ? (node as Record<symbol, unknown>)[key] : referToComponents((node as Record<string, unknown>)[key], false);
  return out;
}

/** Names `schema` `id` and answers the reference routes use in its place. */
function component<T extends TSchema>(id: string, schema: T) {
  components.push({ id, schema: { ...(referToComponents(schema, true) as T), $id: id }, json: JSON.stringify(schema) });
  return Type.Unsafe<Static<T>>({ $ref: id });
}

// In order: a component may refer only to those before it.
export const PassageRef = component('PassageRef', PassageRefSchema);
export const CommentView = component('CommentView', CommentViewSchema);
export const ThreadView = component('ThreadView', ThreadViewSchema);
export const ThreadPage = component('ThreadPage', ThreadPageSchema);
export const RepliesPage = component('RepliesPage', RepliesPageSchema);
export const VoteResult = component('VoteResult', VoteResultSchema);
export const FollowState = component('FollowState', FollowStateSchema);
export const QueueItem = component('QueueItem', QueueItemSchema);

/** Makes the shared schemas known to validation, serialization and the OpenAPI document. */
export function registerSharedSchemas(app: FastifyInstance): void {
  app.addSchema(ErrorBody);
  for (const c of components) app.addSchema(c.schema);
}

/** Standard error answers to list in every route's OpenAPI entry. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));

/** Security requirements of routes for signed-in readers; writes carry the CSRF header as well. */
export const SIGNED_IN = [{ session: [] }];
export const SIGNED_IN_WRITE = [{ session: [], csrf: [] }];
