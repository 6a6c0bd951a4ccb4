import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/**
 * The Fastify instance route plugins receive: each route's `req.params`, `req.query`, `req.body`
 * and `req.headers` take their types from the TypeBox schemas that validate them, and what a
 * handler answers is checked against its response schemas, so a type and its check cannot drift.
 * Type-only: the provider adds nothing at run time.
 */
export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
