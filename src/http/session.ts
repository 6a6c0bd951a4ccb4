import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { Actor } from '../domain/permissions.js';
import { messages } from '../messages.js';
import type { Accounts } from '../services/accounts.js';

export const SESSION_COOKIE = 'parley_session';
/**
 * The session opened inside an embed frame on a publisher's page of another site. SameSite=Lax
 * cookies are never sent to a cross-site frame, so this one is SameSite=None and Partitioned
 * (CHIPS): the browser keeps it for this publisher's pages only, and it works where third-party
 * cookies are blocked. Partitioned cookies must be Secure; browsers accept that on localhost too.
 */
export const EMBED_SESSION_COOKIE = 'parley_embed_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes that change state but need no session token (sign-in requests, webhooks). */
    csrfExempt?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Loads the reader behind the session cookie and guards every state-changing request:
 * the Origin (when sent) must be ours, and a signed-in request must carry the session's CSRF
 * token in `x-csrf-token` (API) or `_csrf` (forms). SameSite=Lax cookies are the first wall.
 */
export function registerSession(app: FastifyInstance, accounts: Accounts, config: Pick<Config, 'baseUrl'>): void {
  const ownOrigin = new URL(config.baseUrl).origin;
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('preHandler', async (req: FastifyRequest) => {
    const token = req.cookies[SESSION_COOKIE] ?? req.cookies[EMBED_SESSION_COOKIE];
    if (token && token.length <= 100) {
      const s = await accounts.session(token);
      if (s) {
        req.actor = s.actor;
        req.csrfToken = s.csrfToken;
        req.sessionToken = token;
      }
    }
    if (!UNSAFE.has(req.method) || req.routeOptions.config.csrfExempt) return;
    const origin = req.headers.origin;
    if (origin && origin !== ownOrigin && origin !== `${req.protocol}://${req.host}`) {
      throw new AppError(403, 'csrf', messages.errors.csrf);
    }
    if (req.csrfToken) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = req.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
      if (typeof sent !== 'string' || !sameToken(sent, req.csrfToken)) throw new AppError(403, 'csrf', messages.errors.csrf);
    }
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  clearEmbedSessionCookie(reply);
}

const EMBED_COOKIE = { path: '/', httpOnly: true, sameSite: 'none', secure: true, partitioned: true } as const;

export function setEmbedSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(EMBED_SESSION_COOKIE, token, { ...EMBED_COOKIE, expires: expiresAt });
}

export function clearEmbedSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(EMBED_SESSION_COOKIE, EMBED_COOKIE);
}
