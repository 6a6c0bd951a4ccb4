import type { Entitlement, User } from '../domain/types.js';
import type { AccountChange } from '../store/account-writes.js';

/** What a session's cookie stood for when last read: its reader, their CSRF token and entitlements. */
export interface KnownSession {
  user: User;
  csrfToken: string;
  expiresAt: Date;
  entitlements: readonly Entitlement[];
}

interface Entry {
  session: KnownSession;
  /** Until when (epoch ms) it is trusted without asking the database again. */
  until: number;
}

/**
 * Sessions as last read, trusted for a few seconds (issue 12: reading the session and the
 * reader's entitlements took two queries on every signed-in request). This node's own writes
 * (sign-out, ban, suspension, role or name change, entitlement change from Stripe or single
 * sign-on) are forgotten at once, told by the store (src/store/account-writes.ts); other nodes'
 * and other processes' are not told, so they take effect here within `ttlMs`. Whatever depends
 * on the time (the session's expiry, a subscription's end) is judged afresh at each request.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change, so a read that a change overtook is not kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  /** The session by its token's hash, if known, trusted and not expired at `now`. */
  get(hash: string, now: Date): KnownSession | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.until <= now.getTime() || e.session.expiresAt.getTime() <= now.getTime()) {
      this.entries.delete(hash);
      return undefined;
    }
    return e.session;
  }

  /** To be taken before reading a session from the database, and handed to `keep` with it. */
  mark(): number {
    return this.generation;
  }

  /** Keeps a session read since `mark`, unless something changed meanwhile. */
  keep(hash: string, session: KnownSession, mark: number, now: Date): void {
    if (this.ttlMs <= 0 || mark !== this.generation) return;
    this.entries.delete(hash);
    // The oldest first: Map keeps insertion order.
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { session, until: now.getTime() + this.ttlMs });
  }

  /** Forgets what a write changed. */
  forget(change: AccountChange): void {
    this.generation++;
    if ('sessionHash' in change) {
      this.entries.delete(change.sessionHash);
      return;
    }
    for (const [hash, e] of this.entries) if (e.session.user.id === change.userId) this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
