import type { QueryCreator } from 'kysely';
import type { Database } from '../schema.js';
import { firstIdSince, inBatches } from './batches.js';
import { Repository } from './repository.js';

import type { DiscussionEventType } from '../../domain/discussion-events.js';

export type { DiscussionEventType };

/** Each article's discussion log, which live readers follow and resume from. */
export class EventsRepository extends Repository {
  private readonly queued: { slot: { articleId: number; id: number }; type: DiscussionEventType; commentId: number; at: number }[] = [];

  /**
   * Logs an event and returns its id, which is its place in the article's log. The UPDATE takes
   * the article row's lock until commit, so events of one article commit in id order and a reader
   * that has seen id n has seen everything before it (see migration 011). Call inside a transaction.
   */
  async append(articleId: number, type: DiscussionEventType, commentId: number, now: Date): Promise<number> {
    const next = (db: QueryCreator<Database>) =>
      db
        .updateTable('articles')
        .set((eb) => ({ event_seq: eb('event_seq', '+', 1) }))
        .where('id', '=', articleId)
        .returning('event_seq');
    if (this.dialect === 'postgres') {
      // One round trip: changes to one article wait for each other's, so each one counts.
      const { seq } = await this.db
        .with('s', next)
        .insertInto('events')
        .columns(['article_id', 'type', 'comment_id', 'created_at', 'seq'])
        .expression((eb) =>
          eb
            .selectFrom('s')
            .select((s) => [
              s.val(articleId).as('article_id'),
              s.val(type).as('type'),
              s.val(commentId).as('comment_id'),
              s.val(now.getTime()).as('created_at'),
              's.event_seq',
            ]),
        )
        .returning('seq')
        .executeTakeFirstOrThrow();
      return Number(seq);
    }
    const seq = Number((await next(this.db).executeTakeFirstOrThrow()).event_seq);
    await this.db.insertInto('events').values({ article_id: articleId, type, comment_id: commentId, created_at: now.getTime(), seq }).execute();
    return seq;
  }

  /**
   * Queues an event to be appended by `flush`, which a transaction shared by many changes (group
   * commit) runs once before its commit: one counter update and one insert per article for the
   * whole batch, instead of a round trip per event while every other post of the article waits.
   * The slot's id is set by the flush. Queue it as a change's last step, so a change that fails
   * has queued nothing.
   */
  later(articleId: number, type: DiscussionEventType, commentId: number, now: Date): { readonly articleId: number; id: number } {
    const slot = { articleId, id: 0 };
    this.queued.push({ slot, type, commentId, at: now.getTime() });
    return slot;
  }

  /** Appends what `later` queued, in the order it was queued, under each article's lock. */
  async flush(): Promise<void> {
    const queued = this.queued.splice(0);
    const articles = [...new Set(queued.map((q) => q.slot.articleId))].sort((a, b) => a - b);
    for (const articleId of articles) {
      const mine = queued.filter((q) => q.slot.articleId === articleId);
      const { event_seq } = await this.db
        .updateTable('articles')
        .set((eb) => ({ event_seq: eb('event_seq', '+', mine.length) }))
        .where('id', '=', articleId)
        .returning('event_seq')
        .executeTakeFirstOrThrow();
      const first = Number(event_seq) - mine.length + 1;
      mine.forEach((q, i) => (q.slot.id = first + i));
      await this.db
        .insertInto('events')
        .values(mine.map((q) => ({ article_id: articleId, type: q.type, comment_id: q.commentId, created_at: q.at, seq: q.slot.id })))
        .execute();
    }
  }

  async since(articleId: number, afterId: number, limit: number): Promise<{ id: number; type: DiscussionEventType; commentId: number }[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'type', 'comment_id'])
      .where('article_id', '=', articleId)
      .where('seq', '>', afterId)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.seq), type: r.type as DiscussionEventType, commentId: Number(r.comment_id) }));
  }

  async lastId(articleId: number): Promise<number> {
    const r = await this.db.selectFrom('articles').select('event_seq').where('id', '=', articleId).executeTakeFirst();
    return Number(r?.event_seq ?? 0);
  }

  /**
   * The id of the oldest event still kept for the article, or null when none is: a live client
   * that resumes from before it missed events that retention deleted, and must reload instead.
   */
  async oldestId(articleId: number): Promise<number | null> {
    const [first] = await this.since(articleId, 0, 1);
    return first ? first.id : null;
  }

  /**
   * Deletes events written before `before`, at most `batch` rows per statement, so a large
   * backlog never holds the write lock for long; returns how many went.
   */
  async prune(before: Date, batch: number): Promise<number> {
    const t = before.getTime();
    const below = await firstIdSince(this.db, 'events', t);
    return inBatches(batch, async () => {
      let old = this.db.selectFrom('events').select('id').where('created_at', '<', t).orderBy('id').limit(batch);
      if (below !== null) old = old.where('id', '<', below);
      return Number((await this.db.deleteFrom('events').where('id', 'in', old).executeTakeFirst()).numDeletedRows);
    });
  }
}
