import type { SwaggerOptions } from '@fastify/swagger';
import { SESSION_COOKIE } from './session.js';

/*
 * The OpenAPI document at /api/v1/openapi.json, built by @fastify/swagger from the routes' own
 * schemas. What tools need beyond the schemas (operation ids, tags, security) is declared on each
 * API route; the rules that hold for every route live here, so a route cannot get them wrong.
 */

type Json = Record<string, unknown>;

/** A property with a default need not be sent: ajv fills it in, so the document must not require it. */
function withoutDefaultedRequireds(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const props = s.properties as Record<string, Json> | undefined;
  if (!props || !Array.isArray(s.required)) return schema;
  const required = (s.required as string[]).filter((k) => props[k]?.default === undefined);
  return { ...s, required };
}

export const openApiOptions: SwaggerOptions = {
  openapi: {
    info: { title: 'Parley API', version: '1.0.0', description: 'Subscriber discussions for online publications' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session a sign-in sets (magic link or single sign-on)' },
        csrf: {
          type: 'apiKey',
          in: 'header',
          name: 'x-csrf-token',
          description: "Every write of a signed-in reader carries the session's token (GET /api/v1/session)",
        },
      },
    },
  },
  // Shared schemas are components named by their `$id` (ErrorBody, CommentView, ...), not def-N.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  transform: ({ schema, url }) => {
    // Only the JSON API is documented: pages, probes, metrics and static files are not an API.
    if (!url.startsWith('/api/v1/')) return { schema: { ...schema, hide: true }, url };
    if (!schema) return { schema, url };
    const s = schema as Json;
    const out: Json = { ...s };
    for (const part of ['querystring', 'body'] as const) if (s[part]) out[part] = withoutDefaultedRequireds(s[part]);
    return { schema: out as typeof schema, url };
  },
};
