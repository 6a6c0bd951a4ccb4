import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import { cleanDisplayName } from './account-settings.js';
import { nameFromEmail, type Accounts } from './accounts.js';
import type { Clock } from './clock.js';

type SsoConfig = Pick<Config, 'baseUrl' | 'SSO_SECRET' | 'SSO_JWKS_URL' | 'SSO_ALG' | 'SSO_AUDIENCE' | 'SSO_ISSUER' | 'SESSION_DAYS'>;

/** Publisher and Parley clocks may disagree by this much. */
const CLOCK_SKEW_S = 30;
/** A token is a one-hop handover, not a credential to keep: refused once `iat` is older than this. */
const MAX_AGE_S = 600;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,60}$/;
/** Characters a name from elsewhere loses before the display-name rules apply: controls and format characters (bidi overrides), ZWJ excepted. */
const INVISIBLE = /(?!\u200d)[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export interface SsoClaims {
  /** `iss`, or '' when the publisher sends none: with `sub` it names the reader, with `jti` the token. */
  issuer: string;
  sub: string;
  jti: string;
  email: string;
  /** The publisher vouches that the reader controls `email`: `email_verified` is exactly `true` (anything else is no). */
  emailVerified: boolean;
  name: string | null;
  subscriber: boolean;
  subscriberUntil: Date | null;
}

const invalid = () => new AppError(401, 'sso_invalid', messages.errors.sso_invalid);
const isStaff = (u: User) => u.role !== 'reader';

/** The publisher's name for the reader under the same rules as a name typed into account settings, or null. */
export function ssoDisplayName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const visible = raw
    .normalize('NFC')
    .replace(/[\r\n\u2028\u2029\t]+/gu, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim();
  try {
    return cleanDisplayName([...visible].slice(0, 60).join(''));
  } catch {
    return null;
  }
}

function claimsOf(p: JWTPayload): SsoClaims {
  const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);
  const sub = text(p.sub, 200);
  const email = typeof p.email === 'string' && p.email.length <= 254 && EMAIL.test(p.email) ? p.email.toLowerCase() : null;
  if (!sub || !email) throw invalid();
  const jti = text(p.jti, 200);
  if (!jti) throw new AppError(401, 'sso_jti_missing', messages.errors.sso_jti_missing);
  if (p.iss !== undefined && !text(p.iss, 500)) throw invalid();
  if (p.subscriber !== undefined && typeof p.subscriber !== 'boolean') throw invalid();
  const until = p.subscriber_until;
  if (until !== undefined && until !== null && (typeof until !== 'number' || !Number.isFinite(until))) throw invalid();
  return {
    issuer: p.iss ?? '',
    sub,
    jti,
    email,
    emailVerified: p.email_verified === true,
    name: ssoDisplayName(p.name),
    subscriber: p.subscriber === true,
    subscriberUntil: typeof until === 'number' ? new Date(until * 1000) : null,
  };
}

/**
 * Sign-in handed over by a publisher's own membership system: their server signs a short-lived JWT
 * about the reader; Parley checks it, brings the user and their subscription up to date, and opens
 * a session. The algorithm is fixed by configuration, never taken from the token.
 */
export class SingleSignOn {
  private readonly key: Uint8Array | JWTVerifyGetKey | null;

  constructor(
    private readonly store: Pick<Store, 'users' | 'billing' | 'transaction'>,
    private readonly accounts: Accounts,
    private readonly config: SsoConfig,
    private readonly clock: Clock,
  ) {
    if (config.SSO_SECRET) this.key = new TextEncoder().encode(config.SSO_SECRET);
    else if (config.SSO_JWKS_URL)
      this.key = createRemoteJWKSet(new URL(config.SSO_JWKS_URL), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
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

  /** Verifies the token, finds or creates the reader it names, brings their entitlement up to date, and opens a session. */
  async signIn(token: string): Promise<{ user: User; sessionToken: string; expiresAt: Date }> {
    const c = await this.verify(token);
    const now = this.clock.now();
    const user = await this.store.transaction(async (tx) => {
      // Keyed on what the signature covers, not on the token's spelling: base64url has spare bits
      // and optional padding, so one signed token can be written several ways.
      const used = createHash('sha256')
        .update(JSON.stringify([c.issuer, c.jti]))
        .digest('base64url');
      // Kept until no clock could still accept the token, then swept.
      const keepUntil = new Date(now.getTime() + (MAX_AGE_S + 2 * CLOCK_SKEW_S) * 1000);
      if (!(await tx.users.useSsoToken(used, keepUntil, now))) throw invalid();
      const u = await this.accountFor(tx, c, now);
      if (!isStaff(u)) {
        // Staff accounts are Parley's own to name and address; sign-on only lets their holder in.
        if (c.emailVerified && u.email !== c.email && !(await tx.users.byEmail(c.email))) await tx.users.setEmail(u.id, c.email);
        if (c.name && c.name !== u.displayName) await tx.users.setDisplayName(u.id, c.name);
      }
      // Without an end date the grant lasts as long as the session it comes with; the next sign-on renews it.
      const until = c.subscriberUntil ?? new Date(now.getTime() + this.config.SESSION_DAYS * 86_400_000);
      await tx.billing.putEntitlement({
        userId: u.id,
        source: 'sso',
        externalRef: c.sub,
        status: c.subscriber ? 'active' : 'revoked',
        currentPeriodEnd: c.subscriber ? until : null,
        now,
      });
      return (await tx.users.byId(u.id))!;
    });
    return { user, ...(await this.accounts.openSession(user)) };
  }

  /**
   * The account bound to the token's (issuer, sub), binding one on first sight. An existing
   * account is joined only when the publisher vouches for the address and the account is a
   * reader's: otherwise anyone able to register an address with the publisher would get the
   * Parley account (an administrator's, say) that already has it.
   */
  private async accountFor(tx: Store, c: SsoClaims, now: Date): Promise<User> {
    const bound = await tx.users.bySsoIdentity(c.issuer, c.sub);
    if (bound) return bound;
    // Readers signed on before identities were kept (issue 3) are known by their entitlement.
    const legacy = await tx.users.bySsoSubject(c.sub);
    const owner = legacy && !isStaff(legacy) ? legacy : await tx.users.byEmail(c.email);
    let u: User | null;
    if (owner) {
      if (owner !== legacy && (!c.emailVerified || isStaff(owner))) throw new AppError(409, 'sso_email_in_use', messages.errors.sso_email_in_use);
      u = owner;
    } else {
      u = await tx.users.create(c.email, c.name ?? nameFromEmail(c.email), now);
      // Taken since the look-up above: the same refusal as if it had been taken before.
      if (!u) throw new AppError(409, 'sso_email_in_use', messages.errors.sso_email_in_use);
    }
    if (await tx.users.bindSsoIdentity(c.issuer, c.sub, u.id, now)) return u;
    // A concurrent first sign-on of the same reader bound it first: theirs stands.
    const winner = await tx.users.bySsoIdentity(c.issuer, c.sub);
    if (!winner) throw invalid();
    return winner;
  }
}
