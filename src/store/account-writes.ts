/** What a write changed of what a session stands for: all of one user, or one session (a sign-out). */
export type AccountChange = { userId: number } | { sessionHash: string };

/**
 * Tells whoever keeps sessions in memory (src/services/session-cache.ts) of each committed write
 * to what a session stands for: a user's row, their sessions, their entitlements. This node's
 * writes only: other nodes' and other processes' reach a cache when its entries expire.
 */
export class AccountWrites {
  private readonly listeners = new Set<(change: AccountChange) => void>();

  listen(fn: (change: AccountChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  wrote(change: AccountChange): void {
    for (const fn of this.listeners) fn(change);
  }
}

/**
 * A transaction's writes, told once it commits: told at the write, a read between the write and
 * the commit would find the old state and could keep it again. A rolled-back transaction's are
 * never told (nothing changed).
 */
export class HeldAccountWrites extends AccountWrites {
  private readonly held: AccountChange[] = [];

  override wrote(change: AccountChange): void {
    this.held.push(change);
  }

  /** Tells `to` of everything held. */
  release(to: AccountWrites): void {
    for (const change of this.held.splice(0)) to.wrote(change);
  }
}
