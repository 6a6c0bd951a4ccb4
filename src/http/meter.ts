import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Article } from '../domain/types.js';
import type { PaywallInfo } from '../render/pages/Paywall.js';
import { METER_COOKIE, type Metering } from '../services/metering.js';

// The cookie only means anything for its calendar month; a little longer covers month ends in any zone.
const METER_COOKIE_SECONDS = 40 * 86_400;

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
  const { decision, cookie } = await metering.read(req.actor, article, req.cookies[METER_COOKIE], req.headers['user-agent']);
  if (cookie) reply.setCookie(METER_COOKIE, cookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secure, maxAge: METER_COOKIE_SECONDS });
  // Caches between reader and server must not hand one reader's cut (or whole) page to another.
  reply.header('vary', 'Cookie, User-Agent');
  if (decision.full) return null;
  return { allowance: opts.allowance, signedIn: req.actor !== null, returnPath: `/articles/${encodeURIComponent(article.slug)}` };
}
