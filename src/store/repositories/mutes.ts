import { Repository } from './repository.js';

export interface MutedReader {
  userId: number;
  name: string;
  mutedAt: Date;
}

/**
 * Whom each reader has muted. Every read that ends in an answer starts from the muter, so no
 * answer can tell someone they were muted; the one read from the muted side (mutersAmong) only
 * decides who is spared a mention mail.
 */
export class MutesRepository extends Repository {
  /** Mutes `mutedId` for `muterId`; muting twice changes nothing (the first time stays). */
  async add(muterId: number, mutedId: number, now: Date): Promise<void> {
    await this.db
      .insertInto('mutes')
      .values({ muter_id: muterId, muted_id: mutedId, created_at: now.getTime() })
      .onConflict((oc) => oc.columns(['muter_id', 'muted_id']).doNothing())
      .execute();
  }

  /** True if there was a mute to lift. */
  async remove(muterId: number, mutedId: number): Promise<boolean> {
    const r = await this.db.deleteFrom('mutes').where('muter_id', '=', muterId).where('muted_id', '=', mutedId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The ids of the readers `muterId` muted. */
  async idsOf(muterId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('mutes').select('muted_id').where('muter_id', '=', muterId).execute();
    return rows.map((r) => Number(r.muted_id));
  }

  /** Whether `muterId` muted `mutedId`. */
  async has(muterId: number, mutedId: number): Promise<boolean> {
    const r = await this.db.selectFrom('mutes').select('muted_id').where('muter_id', '=', muterId).where('muted_id', '=', mutedId).executeTakeFirst();
    return r !== undefined;
  }

  /** The readers `muterId` muted, with their names, most recent first, for the account page. */
  async listOf(muterId: number): Promise<MutedReader[]> {
    const rows = await this.db
      .selectFrom('mutes')
      .innerJoin('users', 'users.id', 'mutes.muted_id')
      .select(['mutes.muted_id', 'users.display_name', 'mutes.created_at'])
      .where('mutes.muter_id', '=', muterId)
      .orderBy('mutes.created_at', 'desc')
      .orderBy('mutes.muted_id', 'desc')
      .execute();
    return rows.map((r) => ({ userId: Number(r.muted_id), name: r.display_name, mutedAt: new Date(Number(r.created_at)) }));
  }

  /** Of `candidates`, those who muted `authorId`: they are not told of that author's mentions. */
  async mutersAmong(authorId: number, candidates: readonly number[]): Promise<Set<number>> {
    if (candidates.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('mutes')
      .select('muter_id')
      .where('muted_id', '=', authorId)
      .where('muter_id', 'in', [...candidates])
      .execute();
    return new Set(rows.map((r) => Number(r.muter_id)));
  }
}
