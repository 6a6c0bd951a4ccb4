import { sql } from 'kysely';
import type { Comment } from '../../domain/types.js';
import { toComment, type CommentRow } from '../rows.js';
import { type ArticleStamp, articleStamp } from './articles.js';
import { selectComments } from './comment-select.js';
import { prepare } from '../prepared.js';
import { Repository } from './repository.js';

export interface ReportRecord {
  id: number;
  commentId: number;
  reporterId: number;
  reporterName: string;
  reason: string;
  text: string;
  createdAt: Date;
}

export interface AuditRecord {
  id: number;
  actor: { id: number; name: string; email: string } | null;
  action: string;
  targetType: string;
  targetId: number | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** See ModerationRepository.rulesWithArticle: read before every post, so prepared once (prepared.ts). */
const rulesWithArticle = prepare<{ articleId: number; siteKey: string }>()((db, p) =>
  db
    .selectFrom('articles')
    .select((eb) => [
      'moderation',
      'updated_at',
      'comment_count',
      'policy_override',
      eb.selectFrom('settings').select('value').where('key', '=', p.siteKey).as('site'),
    ])
    .where('id', '=', p.articleId),
);

/**
 * What moderators work from: readers' reports, the queues, authors' history, each article's own
 * pre-moderation rules and the audit log. Status changes of a comment are in comments.ts.
 */
export class ModerationRepository extends Repository {
  // ---- reports -------------------------------------------------------------------------------------

  /** Records a reader's report; false if they already reported this comment. */
  async addReport(r: { commentId: number; reporterId: number; reason: string; text: string; now: Date }): Promise<boolean> {
    const row = await this.db
      .insertInto('reports')
      .values({
        comment_id: r.commentId,
        reporter_id: r.reporterId,
        reason: r.reason,
        text: r.text,
        created_at: r.now.getTime(),
        resolved_at: null,
        resolved_by: null,
      })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Reports no moderator has dealt with yet: a comment approved after reports starts again from zero. */
  async openReportCount(commentId: number): Promise<number> {
    const r = await this.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('comment_id', '=', commentId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async openReportsFor(commentIds: readonly number[]): Promise<ReportRecord[]> {
    if (commentIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('reports')
      .innerJoin('users', 'users.id', 'reports.reporter_id')
      .select(['reports.id', 'reports.comment_id', 'reports.reporter_id', 'users.display_name', 'reports.reason', 'reports.text', 'reports.created_at'])
      .where('reports.comment_id', 'in', [...commentIds])
      .where('reports.resolved_at', 'is', null)
      .orderBy('reports.id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      commentId: Number(r.comment_id),
      reporterId: Number(r.reporter_id),
      reporterName: r.display_name,
      reason: r.reason,
      text: r.text,
      createdAt: new Date(Number(r.created_at)),
    }));
  }

  async resolveReports(commentIds: readonly number[], by: number | null, now: Date): Promise<void> {
    if (commentIds.length === 0) return;
    await this.db
      .updateTable('reports')
      .set({ resolved_at: now.getTime(), resolved_by: by })
      .where('comment_id', 'in', [...commentIds])
      .where('resolved_at', 'is', null)
      .execute();
  }

  // ---- queues --------------------------------------------------------------------------------------

  /** Held comments, oldest first: the order they were written in. */
  async pendingQueue(afterId: number, limit: number): Promise<Comment[]> {
    const rows = await selectComments(this.db)
      .where('comments.status', '=', 'pending')
      .where('comments.id', '>', afterId)
      .orderBy('comments.id')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Comments with reports no moderator has dealt with, whatever their status. */
  async reportedQueue(afterId: number, limit: number): Promise<Comment[]> {
    const open = this.db.selectFrom('reports').select('reports.comment_id').where('reports.resolved_at', 'is', null);
    const rows = await selectComments(this.db)
      .where('comments.id', 'in', open)
      .where('comments.status', 'in', ['visible', 'pending'])
      .where('comments.id', '>', afterId)
      .orderBy('comments.id')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Comments rejected since `since`, most recent first. */
  async rejectedQueue(since: Date, beforeId: number | null, limit: number): Promise<Comment[]> {
    let q = selectComments(this.db).where('comments.status', '=', 'rejected').where('comments.moderated_at', '>=', since.getTime());
    if (beforeId !== null) q = q.where('comments.id', '<', beforeId);
    const rows = await q.orderBy('comments.id', 'desc').limit(limit).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  async countByStatus(status: 'pending' | 'rejected', since?: Date): Promise<number> {
    let q = this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', status);
    if (since) q = q.where('moderated_at', '>=', since.getTime());
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  async countReported(): Promise<number> {
    const r = await this.db
      .selectFrom('reports')
      .innerJoin('comments', 'comments.id', 'reports.comment_id')
      .select(sql<number>`count(distinct reports.comment_id)`.as('n'))
      .where('reports.resolved_at', 'is', null)
      .where('comments.status', 'in', ['visible', 'pending'])
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** What a moderator wants to know of each author: how much they wrote and how much was rejected lately. */
  async authorHistory(authorIds: readonly number[], rejectedSince: Date): Promise<Map<number, { comments: number; published: number; rejected: number }>> {
    const out = new Map<number, { comments: number; published: number; rejected: number }>();
    if (authorIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('comments')
      .select([
        'author_id',
        (eb) => eb.fn.countAll<number>().as('total'),
        sql<number>`sum(case when status = 'visible' then 1 else 0 end)`.as('published'),
        sql<number>`sum(case when status = 'rejected' and moderated_at >= ${rejectedSince.getTime()} then 1 else 0 end)`.as('rejected'),
      ])
      .where('author_id', 'in', [...authorIds])
      .groupBy('author_id')
      .execute();
    for (const r of rows) out.set(Number(r.author_id), { comments: Number(r.total), published: Number(r.published ?? 0), rejected: Number(r.rejected ?? 0) });
    return out;
  }

  // ---- each article's pre-moderation rules ---------------------------------------------------------

  async articleSettings(articleId: number): Promise<string | null> {
    const r = await this.db.selectFrom('articles').select('moderation').where('id', '=', articleId).executeTakeFirst();
    return r?.moderation ?? null;
  }

  /**
   * The site's rules (the settings row `siteKey`), the article's own and the article's stamp, in
   * one statement: what a post reads before its transaction, where on PostgreSQL each round trip
   * cost the node more than the rest of the read. Null for no such article.
   */
  async rulesWithArticle(articleId: number, siteKey: string): Promise<{ site: string | null; own: string | null; article: ArticleStamp } | null> {
    const [r] = await this.prepared(rulesWithArticle, { articleId, siteKey });
    return r ? { site: r.site ?? null, own: r.moderation, article: articleStamp(r.updated_at, r.comment_count, r.policy_override) } : null;
  }

  async setArticleSettings(articleId: number, json: string | null): Promise<void> {
    await this.db.updateTable('articles').set({ moderation: json }).where('id', '=', articleId).execute();
  }

  // ---- audit log -----------------------------------------------------------------------------------

  async audit(e: {
    actorId: number | null;
    action: string;
    targetType: string;
    targetId: number | null;
    details: Record<string, unknown>;
    now: Date;
  }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        actor_id: e.actorId,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        details: JSON.stringify(e.details),
        created_at: e.now.getTime(),
      })
      .execute();
  }

  /** The audit log, newest first, `limit` entries before `beforeId`. */
  async auditLog(beforeId: number | null, limit: number): Promise<AuditRecord[]> {
    let q = this.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select([
        'audit_log.id',
        'audit_log.actor_id',
        'users.display_name',
        'users.email',
        'audit_log.action',
        'audit_log.target_type',
        'audit_log.target_id',
        'audit_log.details',
        'audit_log.created_at',
      ]);
    if (beforeId !== null) q = q.where('audit_log.id', '<', beforeId);
    const rows = await q.orderBy('audit_log.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      actor: r.actor_id === null ? null : { id: Number(r.actor_id), name: r.display_name ?? '', email: r.email ?? '' },
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id === null ? null : Number(r.target_id),
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: new Date(Number(r.created_at)),
    }));
  }
}
