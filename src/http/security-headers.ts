import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets (CSP, frame, referrer, sniffing), worked out once. They depend on the
 * options alone, never on the request, so helmet runs here against a response that only records
 * them; running its eleven middlewares on every request took 3.5% of a comment post's CPU and 5%
 * of a signed-in page's (CPU profiles, .tmp scratch, stop 32).
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let ran = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    ran = true;
  });
  // helmet finishes synchronously; if a version ever did not, every answer would go out without them.
  if (!ran || !headers['content-security-policy']) throw new Error('helmet did not set its headers synchronously');
  return headers;
}

/** helmet's headers on every answer, set on the reply, where a route may still change or remove one. */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
