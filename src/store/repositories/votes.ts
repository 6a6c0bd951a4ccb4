import type { VoteValue } from '../../domain/votes.js';
import { voteDelta } from '../../domain/votes.js';
import { Repository } from './repository.js';

/** Readers' votes and the comment counters (up, down, score, rank_score) they move. */
export class VotesRepository extends Repository {
  async of(commentId: number, userId: number): Promise<VoteValue> {
    const r = await this.db.selectFrom('votes').select('value').where('comment_id', '=', commentId).where('user_id', '=', userId).executeTakeFirst();
    return (r?.value ?? 0) as VoteValue;
  }

  async ofMany(userId: number, commentIds: readonly number[]): Promise<Map<number, VoteValue>> {
    if (commentIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('votes')
      .select(['comment_id', 'value'])
      .where('user_id', '=', userId)
      .where('comment_id', 'in', [...commentIds])
      .execute();
    return new Map(rows.map((r) => [Number(r.comment_id), r.value as VoteValue]));
  }

  /**
   * Sets one reader's vote and moves the comment's counters by the difference, in the caller's
   * transaction. The row lock taken by the counter update comes first, so two concurrent votes by
   * the same reader serialise instead of both reading the old value.
   *
   * `ranked` says whether this vote counts towards rank_score (the 'top' order); each vote row
   * remembers whether it did, so changing or retracting it later undoes exactly what it added.
   */
  async set(commentId: number, userId: number, value: VoteValue, now: Date, ranked = true): Promise<{ up: number; down: number; score: number }> {
    await this.db
      .updateTable('comments')
      .set((eb) => ({ score: eb('score', '+', 0) }))
      .where('id', '=', commentId)
      .execute();
    const old = await this.db
      .selectFrom('votes')
      .select(['value', 'ranked'])
      .where('comment_id', '=', commentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const prev = (old?.value ?? 0) as VoteValue;
    if (prev !== value) {
      const rank = ranked ? 1 : 0;
      if (value === 0) {
        await this.db.deleteFrom('votes').where('comment_id', '=', commentId).where('user_id', '=', userId).execute();
      } else {
        await this.db
          .insertInto('votes')
          .values({ comment_id: commentId, user_id: userId, value, created_at: now.getTime(), ranked: rank })
          .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doUpdateSet({ value, created_at: now.getTime(), ranked: rank }))
          .execute();
      }
      const d = voteDelta(prev, value);
      const dRank = (value === 0 ? 0 : rank * value) - (old?.ranked === 1 ? prev : 0);
      await this.db
        .updateTable('comments')
        .set((eb) => ({ up: eb('up', '+', d.up), down: eb('down', '+', d.down), score: eb('score', '+', d.score), rank_score: eb('rank_score', '+', dRank) }))
        .where('id', '=', commentId)
        .execute();
    }
    const r = await this.db.selectFrom('comments').select(['up', 'down', 'score']).where('id', '=', commentId).executeTakeFirstOrThrow();
    return { up: r.up, down: r.down, score: r.score };
  }

  async byUser(userId: number): Promise<{ commentId: number; value: number; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('votes').selectAll().where('user_id', '=', userId).orderBy('comment_id').execute();
    return rows.map((r) => ({ commentId: Number(r.comment_id), value: r.value, createdAt: new Date(Number(r.created_at)) }));
  }
}
