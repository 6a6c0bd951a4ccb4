import type { FastifyRequest } from 'fastify';

/** Query parameters that carry one-time secrets: sign-in, unsubscribe and confirmation links, sign-on tokens. */
const SECRET_PARAMS = new Set(['token', 'sso']);

/** What a query must hold for a parameter of it to be named as a secret one is (possibly escaped). */
const MAY_NAME_SECRET = /token|sso|%/;

/** `url` with the value of every secret query parameter replaced, for the access log. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  // Most queries name no secret: they are written out as they came, without taking them apart.
  if (q < 0 || !MAY_NAME_SECRET.test(url.slice(q + 1))) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0]!;
      return SECRET_PARAMS.has(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Fastify's request log fields, with the URL redacted. No header is among them, so no cookie,
 * CSRF token or authorization can reach a log line through a request, whoever logs one.
 */
export function serializeRequest(req: FastifyRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** An answer in a log line is its status alone: no `set-cookie` or other header is written out. */
export function serializeResponse(res: { statusCode: number }) {
  return { statusCode: res.statusCode };
}
