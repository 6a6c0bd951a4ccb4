import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Mails still to send (the outbox backlog), for /metrics. */
export async function pendingMailCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Since when the longest-waiting due mail has been due, for /metrics; null when none is. Due time,
 * not queue time: a digest item queued at breakfast is not late until the digest hour, and a mail
 * retried after a failure is due again only after its back-off.
 */
export async function oldestDueMailAt(db: Kysely<Database>, now: Date): Promise<number | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min<number | string | null>('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now.getTime())
    .executeTakeFirstOrThrow();
  return row.at === null ? null : Number(row.at);
}
