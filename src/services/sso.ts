import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import { nameFromEmail, type Accounts } from './accounts.js';
import type { Clock } from './clock.js';

type SsoConfig = Pick<Config, 'baseUrl' | 'SSO_SECRET' | 'SSO_JWKS_URL' | 'SSO_ALG' | 'SSO_AUDIENCE' | 'SSO_ISSUER' | 'SESSION_DAYS'>;

/** Publisher and Parley clocks may disagree by this much. */
const CLOCK_SKEW_S = 30;
/** A token is a one-hop handover, not a credential to keep: refused once `iat` is older than this. */
const MAX_AGE_S = 600;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,60}$/;

export interface SsoClaims {
  sub: string;
  email: string;
  name: string | null;
  subscriber: boolean;
  subscriberUntil: Date | null;
}

const invalid = () => new AppError(401, 'sso_invalid', messages.errors.sso_invalid);

function claimsOf(p: JWTPayload): SsoClaims {
  const sub = typeof p.sub === 'string' && p.sub.length > 0 && p.sub.length <= 200 ? p.sub : null;
  const email = typeof p.email === 'string' && p.email.length <= 254 && EMAIL.test(p.email) ? p.email.toLowerCase() : null;
  if (!sub || !email) throw invalid();
  const rawName = typeof p.name === 'string' ? p.name.replace(/\s+/gu, ' ').trim() : '';
  const name = rawName && !/[\u0000-\u001f\u007f]/u.test(rawName) ? [...rawName].slice(0, 60).join('') : null;
  if (p.subscriber !== undefined && typeof p.subscriber !== 'boolean') throw invalid();
  const until = p.subscriber_until;
  if (until !== undefined && until !== null && (typeof until !== 'number' || !Number.isFinite(until))) throw invalid();
  return { sub, email, name, subscriber: p.subscriber === true, subscriberUntil: typeof until === 'number' ? new Date(until * 1000) : null };
}

/**
 * Sign-in handed over by a publisher's own membership system: their server signs a short-lived JWT
 * about the reader; Parley checks it, brings the user and their subscription up to date, and opens
 * a session. The algorithm is fixed by configuration, never taken from the token.
 */
export class SingleSignOn {
  private readonly key: Uint8Array | JWTVerifyGetKey | null;

  constructor(
    private readonly store: Store,
    private readonly accounts: Accounts,
    private readonly config: SsoConfig,
    private readonly clock: Clock,
  ) {
    if (config.SSO_SECRET) this.key = new TextEncoder().encode(config.SSO_SECRET);
    else if (config.SSO_JWKS_URL) this.key = createRemoteJWKSet(new URL(config.SSO_JWKS_URL), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    else this.key = null;
  }

  get enabled(): boolean {
    return this.key !== null;
  }

  /** The audience tokens must name: SSO_AUDIENCE, or this site's origin. */
  get audience(): string {
    return this.config.SSO_AUDIENCE || new URL(this.config.baseUrl).origin;
  }

  async verify(token: string): Promise<SsoClaims> {
    if (!this.key) throw new AppError(404, 'sso_disabled', messages.errors.sso_disabled);
    if (token.length > 8192) throw invalid();
    const options = {
      algorithms: [this.config.SSO_ALG],
      audience: this.audience,
      ...(this.config.SSO_ISSUER ? { issuer: this.config.SSO_ISSUER } : {}),
      clockTolerance: CLOCK_SKEW_S,
      maxTokenAge: MAX_AGE_S,
      currentDate: this.clock.now(),
      requiredClaims: ['exp', 'iat', 'sub'],
    };
    try {
      const { payload } = this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      return claimsOf(payload);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw invalid();
    }
  }

  /** Verifies the token, creates or updates the reader and their entitlement, and opens a session. */
  async signIn(token: string): Promise<{ user: User; sessionToken: string; expiresAt: Date }> {
    const c = await this.verify(token);
    const now = this.clock.now();
    const user = await this.store.transaction(async (tx) => {
      // Kept until no clock could still accept the token, then swept.
      const keepUntil = new Date(now.getTime() + (MAX_AGE_S + 2 * CLOCK_SKEW_S) * 1000);
      if (!(await tx.useSsoToken(createHash('sha256').update(token).digest('base64url'), keepUntil, now))) throw invalid();
      // The publisher's id is the stable key; the email may have changed on their side since.
      let u = (await tx.userBySsoSubject(c.sub)) ?? (await tx.userByEmail(c.email)) ?? (await tx.ensureUser(c.email, c.name ?? nameFromEmail(c.email), now));
      if (u.email !== c.email && !(await tx.userByEmail(c.email))) await tx.setEmail(u.id, c.email);
      if (c.name && c.name !== u.displayName) await tx.setDisplayName(u.id, c.name);
      // Without an end date the grant lasts as long as the session it comes with; the next sign-on renews it.
      const until = c.subscriberUntil ?? new Date(now.getTime() + this.config.SESSION_DAYS * 86_400_000);
      await tx.putEntitlement({ userId: u.id, source: 'sso', externalRef: c.sub, status: c.subscriber ? 'active' : 'revoked', currentPeriodEnd: c.subscriber ? until : null, now });
      u = (await tx.userById(u.id))!;
      return u;
    });
    return { user, ...(await this.accounts.openSession(user)) };
  }
}
