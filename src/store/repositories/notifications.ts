import type { Selectable } from 'kysely';
import type { ReaderFollow } from '../../domain/notify.js';
import type { User } from '../../domain/types.js';
import { toUser } from '../rows.js';
import type { FollowsTable, OutboxTable } from '../schema.js';
import { firstIdSince, inBatches } from './batches.js';
import { prepare } from '../prepared.js';
import { Repository } from './repository.js';

/** Outbox states a mail never leaves: only these may be deleted. */
const SETTLED_MAIL = ['sent', 'skipped', 'failed'];

export type OutboxRow = Selectable<OutboxTable>;

export interface FollowRow {
  id: number;
  articleId: number;
  email: string;
  userId: number | null;
  confirmed: boolean;
  token: string;
}

const nullableId = (v: number | null) => (v === null ? null : Number(v));
const toOutbox = (r: OutboxRow): OutboxRow => ({
  ...r,
  id: Number(r.id),
  user_id: nullableId(r.user_id),
  comment_id: nullableId(r.comment_id),
  follow_id: nullableId(r.follow_id),
});

const toFollow = (r: Selectable<FollowsTable>): FollowRow => ({
  id: Number(r.id),
  articleId: Number(r.article_id),
  email: r.email,
  userId: r.user_id === null ? null : Number(r.user_id),
  confirmed: r.confirmed === 1,
  token: r.token,
});

/** A reader's row joined to their follow of an article, if any (also read by ReaderFactsRepository). */
export function toReaderFollow(r: { notify_replies: number; digest: string; confirmed: number | null; featured: number | null }): ReaderFollow {
  const following = r.confirmed === 1;
  return { following, featured: following && r.featured === 1, replies: r.notify_replies === 1, digest: r.digest === 'daily' ? 'daily' : 'instant' };
}

/** An article's confirmed followers (see NotificationsRepository.articleFollowers): asked at every post, so prepared once. */
const followersOf = (featuredOnly: boolean) =>
  prepare<{ articleId: number }>()((db, p) => {
    const all = db
      .selectFrom('follows')
      .leftJoin('users', 'users.id', 'follows.user_id')
      .select(['follows.id', 'follows.email', 'follows.user_id', 'users.banned', 'users.suspended_until', 'users.digest'])
      .where('follows.article_id', '=', p.articleId)
      .where('follows.confirmed', '=', 1);
    // Followers who also asked to hear of editors' picks.
    return featuredOnly ? all.where('follows.featured', '=', 1) : all;
  });
const followers = followersOf(false);
const featuredFollowers = followersOf(true);

/**
 * Who hears of new comments and how: article follows, readers' notification preferences (kept
 * on the users row) and the mail outbox the worker sends from.
 */
export class NotificationsRepository extends Repository {
  // ---- follows -------------------------------------------------------------------------------------

  async followOf(articleId: number, email: string): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('article_id', '=', articleId).where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  async followById(id: number): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  async followByToken(token: string): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('token', '=', token).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  async followsOfUser(userId: number, email: string): Promise<(FollowRow & { createdAt: Date })[]> {
    const rows = await this.db
      .selectFrom('follows')
      .selectAll()
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', email.toLowerCase())]))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...toFollow(r), createdAt: new Date(Number(r.created_at)) }));
  }

  /** Creates the follow or returns the existing one; `confirmed` only ever turns on here. */
  async putFollow(f: { articleId: number; email: string; userId: number | null; confirmed: boolean; token: string; now: Date }): Promise<FollowRow> {
    await this.db
      .insertInto('follows')
      .values({
        article_id: f.articleId,
        email: f.email.toLowerCase(),
        user_id: f.userId,
        confirmed: f.confirmed ? 1 : 0,
        token: f.token,
        created_at: f.now.getTime(),
      })
      .onConflict((oc) => oc.columns(['article_id', 'email']).doNothing())
      .execute();
    if (f.confirmed)
      await this.db
        .updateTable('follows')
        .set({ confirmed: 1, user_id: f.userId })
        .where('article_id', '=', f.articleId)
        .where('email', '=', f.email.toLowerCase())
        .execute();
    return (await this.followOf(f.articleId, f.email))!;
  }

  /** Whether this follow also wants editors' picks of its article (off unless asked for). */
  async setFollowFeatured(id: number, on: boolean): Promise<void> {
    await this.db
      .updateTable('follows')
      .set({ featured: on ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async followWantsFeatured(id: number): Promise<boolean> {
    const r = await this.db.selectFrom('follows').select('featured').where('id', '=', id).executeTakeFirst();
    return r?.featured === 1;
  }

  async confirmFollow(id: number): Promise<void> {
    await this.db.updateTable('follows').set({ confirmed: 1 }).where('id', '=', id).execute();
  }

  async deleteFollow(id: number): Promise<void> {
    await this.db.deleteFrom('follows').where('id', '=', id).execute();
  }

  /** Confirmed followers of an article with what the rules need to know about each. */
  async articleFollowers(
    articleId: number,
    now: Date,
    only: { featured?: boolean } = {},
  ): Promise<{ followId: number; email: string; userId: number | null; suspended: boolean; digest: string }[]> {
    const rows = await this.prepared(only.featured ? featuredFollowers : followers, { articleId });
    return rows.map((r) => ({
      followId: Number(r.id),
      email: r.email,
      userId: r.user_id === null ? null : Number(r.user_id),
      suspended: r.banned === 1 || (r.suspended_until !== null && Number(r.suspended_until) > now.getTime()),
      digest: r.digest ?? 'instant',
    }));
  }

  // ---- readers' preferences ------------------------------------------------------------------------

  /**
   * What a signed-in reader's page says of their mail, in one question (it is asked on every such
   * page): whether they follow the article (a confirmed follow of their address), for editors'
   * picks too, and their reply and digest preferences.
   */
  async readerFollow(userId: number, articleId: number): Promise<ReaderFollow> {
    const r = await this.db
      .selectFrom('users')
      .leftJoin('follows', (j) => j.onRef('follows.email', '=', 'users.email').on('follows.article_id', '=', articleId))
      .select(['users.notify_replies', 'users.digest', 'follows.confirmed', 'follows.featured'])
      .where('users.id', '=', userId)
      .executeTakeFirstOrThrow();
    return toReaderFollow(r);
  }

  async prefs(userId: number): Promise<{ replies: boolean; digest: 'instant' | 'daily'; token: string | null }> {
    const r = await this.db.selectFrom('users').select(['notify_replies', 'digest', 'notify_token']).where('id', '=', userId).executeTakeFirstOrThrow();
    return { replies: r.notify_replies === 1, digest: r.digest === 'daily' ? 'daily' : 'instant', token: r.notify_token };
  }

  async setPrefs(userId: number, p: { replies?: boolean; digest?: 'instant' | 'daily'; token?: string }): Promise<void> {
    const set: { notify_replies?: number; digest?: string; notify_token?: string } = {};
    if (p.replies !== undefined) set.notify_replies = p.replies ? 1 : 0;
    if (p.digest !== undefined) set.digest = p.digest;
    if (p.token !== undefined) set.notify_token = p.token;
    if (Object.keys(set).length) await this.db.updateTable('users').set(set).where('id', '=', userId).execute();
  }

  async userByNotifyToken(token: string): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('notify_token', '=', token).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  // ---- the mail outbox -----------------------------------------------------------------------------

  /** Queues a mail unless one with the same key exists: retried hooks never mail twice. */
  async enqueueMail(m: {
    kind: string;
    recipient: string;
    userId: number | null;
    commentId: number | null;
    followId: number | null;
    dedupeKey: string;
    dueAt: Date;
    now: Date;
  }): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({
        kind: m.kind,
        recipient: m.recipient,
        user_id: m.userId,
        comment_id: m.commentId,
        follow_id: m.followId,
        dedupe_key: m.dedupeKey,
        status: 'pending',
        attempts: 0,
        next_attempt_at: m.dueAt.getTime(),
        claimed_until: null,
        message_id: null,
        last_error: null,
        created_at: m.now.getTime(),
        sent_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /**
   * Queues one webhook for one receiver, in the transaction of the change it announces. The key
   * is the webhook's id and the receiver's address: retried hooks never queue it twice.
   */
  async enqueueWebhook(w: { kind: string; url: string; webhookId: string; commentId: number; payload: string; now: Date }): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({
        kind: w.kind,
        recipient: w.url,
        user_id: null,
        comment_id: w.commentId,
        follow_id: null,
        dedupe_key: `${w.webhookId} ${w.url}`,
        status: 'pending',
        attempts: 0,
        next_attempt_at: w.now.getTime(),
        claimed_until: null,
        message_id: w.webhookId,
        last_error: null,
        created_at: w.now.getTime(),
        sent_at: null,
        payload: w.payload,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /**
   * Claims due mails for `leaseMs`. On PostgreSQL, FOR UPDATE SKIP LOCKED lets several nodes
   * claim side by side without taking the same row; SQLite has one writer, so a plain update
   * in a transaction is already exclusive.
   */
  async claimMail(now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    const t = now.getTime();
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', t)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', t)]))
      .orderBy('id')
      .limit(limit);
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: t + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returningAll()
      .execute();
    // RETURNING follows no ORDER BY; queue order lets a receiver hear a comment's events in turn.
    return rows.map(toOutbox).sort((x, y) => x.id - y.id);
  }

  /** Other due digest items of the same reader, folded into one mail with the claimed one. */
  async claimDigestSiblings(recipient: string, now: Date, leaseMs: number): Promise<OutboxRow[]> {
    const t = now.getTime();
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: t + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('recipient', '=', recipient)
      .where('kind', 'like', 'digest:%')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', t)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', t)]))
      .returningAll()
      .execute();
    return rows.map(toOutbox);
  }

  async finishMail(
    id: number,
    outcome: { status: 'sent' | 'skipped' | 'failed' | 'pending'; messageId?: string; error?: string; retryAt?: Date; now: Date },
  ): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        status: outcome.status,
        message_id: outcome.messageId ?? null,
        last_error: outcome.error?.slice(0, 500) ?? null,
        claimed_until: null,
        ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt.getTime() } : {}),
        ...(outcome.status === 'sent' ? { sent_at: outcome.now.getTime() } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Gives back claimed mails that were not sent, as if never claimed. */
  async releaseMail(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: null, attempts: eb('attempts', '-', 1) }))
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .where('claimed_until', 'is not', null)
      .execute();
  }

  async outboxRows(): Promise<OutboxRow[]> {
    return (await this.db.selectFrom('outbox').selectAll().orderBy('id').execute()).map(toOutbox);
  }

  /**
   * Deletes settled mails (sent, skipped, failed) queued before `before`, in batches like
   * `pruneEvents`. A pending mail stays whatever its age: it has not gone out yet.
   */
  async pruneOutbox(before: Date, batch: number): Promise<number> {
    const t = before.getTime();
    const below = await firstIdSince(this.db, 'outbox', t);
    return inBatches(batch, async () => {
      let old = this.db.selectFrom('outbox').select('id').where('status', 'in', SETTLED_MAIL).where('created_at', '<', t).orderBy('id').limit(batch);
      if (below !== null) old = old.where('id', '<', below);
      return Number((await this.db.deleteFrom('outbox').where('id', 'in', old).executeTakeFirst()).numDeletedRows);
    });
  }
}
