import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { isSubscriber, subscribedUntil } from '../domain/entitlements.js';
import { badRequest, notFound } from '../domain/errors.js';
import type { Actor } from '../domain/permissions.js';
import type { Entitlement, User, ViewerInfo } from '../domain/types.js';
import type { Mailer } from '../mail/mailer.js';
import { loginMail } from '../mail/templates.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { SessionCache } from './session-cache.js';

const LOGIN_TOKEN_MS = 15 * 60_000;

/** Only the hash of a secret token is stored, so a leaked database opens no sessions. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

/** Only paths on this site: `//evil.example` and `/\evil` are other sites to a browser. */
export function safeReturnPath(raw: string | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f]/.test(raw)) return '/';
  return raw;
}

/** A first display name from the email's local part: `ada.lovelace` becomes `Ada Lovelace`. */
export function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  const words = local.split(/[._+-]+/).filter(Boolean);
  return (
    words
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ')
      .slice(0, 60) || 'Reader'
  );
}

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
}

/** Sign-in by emailed link, sessions, and who counts as a subscriber. */
export class Accounts {
  /** Sessions read lately (see session-cache.ts); none kept when SESSION_CACHE_SECONDS is 0 or not given. */
  private readonly sessions: SessionCache;

  constructor(
    private readonly store: Pick<Store, 'users' | 'billing' | 'accountWrites'>,
    private readonly mailer: Mailer,
    private readonly config: Pick<Config, 'baseUrl' | 'PUBLICATION_NAME' | 'SESSION_DAYS' | 'PAST_DUE_GRACE_DAYS'> &
      Partial<Pick<Config, 'SESSION_CACHE_SECONDS'>>,
    private readonly clock: Clock,
  ) {
    this.sessions = new SessionCache((config.SESSION_CACHE_SECONDS ?? 0) * 1000);
    store.accountWrites.listen((change) => this.sessions.forget(change));
  }

  /** How long a subscriber whose payment failed keeps access. */
  get graceMs(): number {
    return this.config.PAST_DUE_GRACE_DAYS * 86_400_000;
  }

  async actorFor(user: User): Promise<Actor> {
    return this.actorOf(user, await this.store.billing.entitlementsOf(user.id), this.clock.now());
  }

  /** Whether `user` is a subscriber at `now`, judged from their entitlements. */
  private actorOf(user: User, list: readonly Entitlement[], now: Date): Actor {
    const subscriber = isSubscriber(list, now, this.graceMs);
    return { user, subscriber, subscriberUntil: subscriber ? subscribedUntil(list, now, this.graceMs) : null, entitlements: list };
  }

  viewerInfo(actor: Actor): ViewerInfo {
    return {
      id: actor.user.id,
      name: actor.user.displayName,
      email: actor.user.email,
      role: actor.user.role,
      subscriber: actor.subscriber,
      subscriberUntil: actor.subscriberUntil?.toISOString() ?? null,
    };
  }

  /** Emails a one-time sign-in link. Says nothing about whether the address is known. */
  async requestLogin(email: string, returnTo: string | undefined): Promise<void> {
    const token = newToken();
    const now = this.clock.now();
    await this.store.users.createLoginToken(hashToken(token), email, safeReturnPath(returnTo), now, new Date(now.getTime() + LOGIN_TOKEN_MS));
    const link = `${this.config.baseUrl}/auth/verify?token=${token}`;
    await this.mailer.send(loginMail(email, link, this.config.PUBLICATION_NAME));
  }

  /** Trades a sign-in link for a new session; the raw session token goes only into the cookie. */
  async completeLogin(token: string): Promise<{ sessionToken: string; returnTo: string; expiresAt: Date }> {
    const now = this.clock.now();
    const used = await this.store.users.consumeLoginToken(hashToken(token), now);
    if (!used) throw badRequest('login_link_invalid', messages.errors.login_link_invalid);
    const user = await this.store.users.ensure(used.email, nameFromEmail(used.email), now);
    return { ...(await this.openSession(user)), returnTo: used.returnTo };
  }

  /** A new session for `user`, however they proved who they are; the raw token goes only into the cookie. */
  async openSession(user: User): Promise<{ sessionToken: string; expiresAt: Date }> {
    const now = this.clock.now();
    const sessionToken = newToken();
    const expiresAt = new Date(now.getTime() + this.config.SESSION_DAYS * 86_400_000);
    await this.store.users.createSession(hashToken(sessionToken), user.id, newToken(), now, expiresAt);
    return { sessionToken, expiresAt };
  }

  async session(sessionToken: string): Promise<SessionInfo | null> {
    const hash = hashToken(sessionToken);
    const now = this.clock.now();
    let known = this.sessions.get(hash, now);
    if (!known) {
      const mark = this.sessions.mark();
      const s = await this.store.users.sessionByHash(hash, now);
      // Unknown tokens are not kept: anyone can send as many as they like.
      if (!s) return null;
      known = { ...s, entitlements: await this.store.billing.entitlementsOf(s.user.id) };
      this.sessions.keep(hash, known, mark, now);
    }
    // Judged at this request's time, kept or not: a subscription that ended a moment ago has ended.
    return { actor: this.actorOf(known.user, known.entitlements, now), csrfToken: known.csrfToken };
  }

  async logout(sessionToken: string): Promise<void> {
    await this.store.users.deleteSession(hashToken(sessionToken));
  }

  /** Manual subscriber grant, e.g. for staff, press or gifts; open-ended without `until`. */
  async grant(email: string, until: Date | null): Promise<User> {
    const now = this.clock.now();
    const user = await this.store.users.ensure(email, nameFromEmail(email), now);
    await this.store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: until, now });
    return user;
  }

  async revoke(email: string): Promise<void> {
    const user = await this.store.users.byEmail(email);
    if (!user) throw notFound('user_not_found', `No user with email ${email}.`);
    await this.store.billing.putEntitlement({
      userId: user.id,
      source: 'manual',
      externalRef: '',
      status: 'revoked',
      currentPeriodEnd: null,
      now: this.clock.now(),
    });
  }
}
