import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { messages } from '../messages.js';

/*
 * Abuse limits. Each write that costs others attention (posting, voting, reporting, sign-in
 * mails) is limited twice: per reader, which stops one account, and per IP address at a wider
 * ceiling, which stops one machine cycling through accounts without locking out a household or
 * an office behind one address. The per-reader limit is the route's own `config.rateLimit`; the
 * others are preHandlers. All counters share the global limit's store: Redis when REDIS_URL is set,
 * so every node counts against the same limits, and this node's memory otherwise or while Redis is
 * unreachable (rate-limit-store.ts).
 */

export interface Limit {
  max: number;
  timeWindow: string;
}

/** Keyed on the signed-in reader; guests, who can write nothing, fall back to their IP. */
export const readerKey = (req: { actor: { user: { id: number } } | null; ip: string }) => (req.actor ? `u${req.actor.user.id}` : `ip${req.ip}`);

export function perReader(limit: Limit) {
  return { max: limit.max, timeWindow: limit.timeWindow, keyGenerator: readerKey };
}

export const tooMany = (seconds: number) => new AppError(429, 'rate_limited', messages.errors.rate_limited(seconds), { 'retry-after': String(seconds) });

type Check = ReturnType<FastifyInstance['createRateLimit']>;
// One counter per name and app, whichever routes use it: the API and the form sign-in share theirs.
const counters = new WeakMap<object, Map<string, Check>>();

/** A preHandler counting requests per `key` (none: not counted); 429 with Retry-After past `limit`. */
export function keyedLimit(app: FastifyInstance, name: string, limit: Limit, key: (req: FastifyRequest) => string | null) {
  let byName = counters.get(app.createRateLimit);
  if (!byName) counters.set(app.createRateLimit, (byName = new Map()));
  let check = byName.get(name);
  if (!check)
    byName.set(name, (check = app.createRateLimit({ max: limit.max, timeWindow: limit.timeWindow, keyGenerator: (req) => `${name}:${key(req) ?? ''}` })));
  return async (req: FastifyRequest): Promise<void> => {
    if (key(req) === null) return;
    const r = await check!(req);
    if (!r.isAllowed && r.isExceeded) throw tooMany(Math.max(1, r.ttlInSeconds));
  };
}

/** The address a sign-in mail would go to, from the JSON API or the form. */
export function signInEmailKey(req: FastifyRequest): string | null {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : null;
}

/** Sign-in mails per address, counted across the API and the sign-in form. */
export const signInMailLimit = (app: FastifyInstance, limit: Limit) => keyedLimit(app, 'signin-email', limit, signInEmailKey);

/** The wider per-IP ceiling beside a per-reader limit. */
export const perIp = (app: FastifyInstance, name: string, limit: Limit) => keyedLimit(app, name, limit, (req) => req.ip);

/**
 * Fastify's `trustProxy` for TRUST_PROXY. Fastify 5 ignores a bare hop count, so a count becomes a
 * function: the `hops` addresses nearest the socket are proxies, and `req.ip` is the one before
 * them, never the left-most `X-Forwarded-For` entry a client can write. Proxy addresses are the
 * stricter choice (README): a count trusts whoever connects directly, if anyone can.
 */
export function proxyTrust(setting: false | number | string[]): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * Confirmation mails (follow by email, email change) per recipient address, counted across every
 * route that sends one: without it, each route's own per-IP limit adds up to a stream of mails
 * at a stranger's inbox.
 */
export function confirmMailLimit(app: FastifyInstance, perHour: number, from: 'anyone' | 'signed-in' = 'anyone') {
  // Routes only a signed-in reader can use do not let a guest spend a stranger's allowance.
  const key = from === 'anyone' ? signInEmailKey : (req: FastifyRequest) => (req.actor ? signInEmailKey(req) : null);
  return keyedLimit(app, 'confirm-email', { max: perHour, timeWindow: '1 hour' }, key);
}
