import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Article } from '../domain/types.js';
import type { PaywallInfo } from '../render/pages/Paywall.js';
import { Lru } from '../services/lru.js';
import { METER_COOKIE, type Metering } from '../services/metering.js';

// The cookie only means anything for its calendar month; a little longer covers month ends in any zone.
const METER_COOKIE_SECONDS = 40 * 86_400;

/** The meter's Set-Cookie headers by value: the same few go to most guests. */
const headers = new Lru<string, string>(1000);

function cookieHeader(req: FastifyRequest, value: string, secure: boolean): string {
  const key = `${secure}|${value}`;
  let header = headers.get(key);
  if (header === undefined) {
    header = req.server.serializeCookie(METER_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: METER_COOKIE_SECONDS });
    headers.set(key, header);
  }
  return header;
}

/**
 * Runs the meter for one article page view: updates the anonymous reader's cookie and says
 * whether the body must be cut, with what the paywall needs to say.
 */
export async function meterArticle(
  req: FastifyRequest,
  reply: FastifyReply,
  metering: Metering,
  article: Pick<Article, 'id' | 'slug'>,
  opts: { secure: boolean; allowance: number },
): Promise<PaywallInfo | null> {
  const given = req.cookies[METER_COOKIE];
  const userAgent = req.headers['user-agent'];
  const { decision, cookie } =
    (req.actor ? undefined : metering.keptGuestAnswer(article, given, userAgent)) ?? (await metering.read(req.actor, article, given, userAgent));
  if (cookie) reply.header('set-cookie', cookieHeader(req, cookie, opts.secure));
  // Caches between reader and server must not hand one reader's cut (or whole) page to another.
  reply.header('vary', 'Cookie, User-Agent');
  if (decision.full) return null;
  return { allowance: opts.allowance, signedIn: req.actor !== null, returnPath: `/articles/${encodeURIComponent(article.slug)}` };
}
