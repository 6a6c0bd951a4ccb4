import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import {
  containsPattern,
  fts5Query,
  MATCH_END,
  MATCH_START,
  type SearchCursor,
  type SearchFilters,
  type SearchStatus,
  type SearchTerms,
} from '../../domain/comment-search.js';
import type { Database } from '../schema.js';
import { Repository } from './repository.js';

/** A comment as a search finds it, with who wrote it and where. */
export interface FoundComment {
  id: number;
  articleId: number;
  articleSlug: string;
  articleTitle: string;
  parentId: number | null;
  authorId: number;
  authorName: string;
  authorEmail: string;
  status: string;
  moderatedAt: number | null;
  createdAt: number;
  editedAt: number | null;
  bodySrc: string;
}

export interface ReportCounts {
  open: number;
  total: number;
}

/** A report in a reader's history, with the comment it is about and both people involved. */
export interface HistoryReport {
  id: number;
  commentId: number;
  commentAuthor: { id: number; name: string };
  reporter: { id: number; name: string };
  reason: string;
  text: string;
  createdAt: number;
  resolvedAt: number | null;
}

export interface HistoryAction {
  id: number;
  actor: { id: number; name: string } | null;
  action: string;
  targetType: string;
  targetId: number | null;
  details: Record<string, unknown>;
  createdAt: number;
}

type Eb = ExpressionBuilder<Database & { author: Database['users']; article: Database['articles'] }, 'comments'>;

/**
 * Moderators' search over comments and a reader's history. The words are found by the full-text
 * index of migration 015 (FTS5 on SQLite, a GIN tsvector index on PostgreSQL); every other filter
 * is a plain indexed condition, and the two combine in one query.
 */
export class CommentSearchRepository extends Repository {
  /** A page of matching comments, newest first, after `after`. */
  async find(f: SearchFilters, after: SearchCursor | null, limit: number): Promise<FoundComment[]> {
    let q = this.base()
      .where((eb) => this.conditions(eb, f))
      .select([
        'comments.id',
        'comments.article_id',
        'article.slug',
        'article.title',
        'comments.parent_id',
        'comments.author_id',
        'author.display_name',
        'author.email',
        'comments.status',
        'comments.moderated_at',
        'comments.created_at',
        'comments.edited_at',
        'comments.body_src',
      ]);
    if (after) q = q.where(sql<boolean>`(comments.created_at, comments.id) < (${after.at}, ${after.id})`);
    const rows = await q.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      articleId: Number(r.article_id),
      articleSlug: r.slug,
      articleTitle: r.title,
      parentId: r.parent_id === null ? null : Number(r.parent_id),
      authorId: Number(r.author_id),
      authorName: r.display_name,
      authorEmail: r.email,
      status: r.status,
      moderatedAt: r.moderated_at === null ? null : Number(r.moderated_at),
      createdAt: Number(r.created_at),
      editedAt: r.edited_at === null ? null : Number(r.edited_at),
      bodySrc: r.body_src,
    }));
  }

  /** How many comments match, whatever the page. */
  async count(f: SearchFilters): Promise<number> {
    const r = await this.base()
      .where((eb) => this.conditions(eb, f))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Highlighted passages of these comments where `terms` match (engine-made, markers around hits). */
  async snippets(ids: readonly number[], terms: SearchTerms): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const list = sql.join(ids.map((id) => sql`${id}`));
    const { rows } =
      this.dialect === 'sqlite'
        ? await sql<{ id: number; s: string }>`select rowid as id, snippet(comments_fts, 0, ${MATCH_START}, ${MATCH_END}, '…', 24) as s
            from comments_fts where comments_fts match ${fts5Query(terms)} and rowid in (${list})`.execute(this.db)
        : await sql<{ id: number; s: string }>`select id, ts_headline('english', body_src, ${tsQuery(terms)},
            ${`StartSel="${MATCH_START}", StopSel="${MATCH_END}", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as s
            from comments where id in (${list})`.execute(this.db);
    for (const r of rows) out.set(Number(r.id), r.s);
    return out;
  }

  async reportCounts(ids: readonly number[]): Promise<Map<number, ReportCounts>> {
    const out = new Map<number, ReportCounts>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('reports')
      .select(['comment_id', (eb) => eb.fn.countAll<number>().as('total'), sql<number>`sum(case when resolved_at is null then 1 else 0 end)`.as('open')])
      .where('comment_id', 'in', [...ids])
      .groupBy('comment_id')
      .execute();
    for (const r of rows) out.set(Number(r.comment_id), { open: Number(r.open ?? 0), total: Number(r.total) });
    return out;
  }

  // ---- a reader's history ---------------------------------------------------------------------

  /** Their comments by status: what the history's summary counts. */
  async statusCounts(userId: number): Promise<Record<SearchStatus, number>> {
    const rows = await this.db
      .selectFrom('comments')
      .select(['status', sql<number>`case when moderated_at is null then 0 else 1 end`.as('moderated'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('author_id', '=', userId)
      .groupBy(['status', sql`case when moderated_at is null then 0 else 1 end`])
      .execute();
    const out: Record<SearchStatus, number> = { visible: 0, pending: 0, hidden: 0, rejected: 0, deleted: 0 };
    for (const r of rows) {
      const key: SearchStatus =
        r.status === 'pending' ? (Number(r.moderated) ? 'hidden' : 'pending') : r.status in out ? (r.status as SearchStatus) : 'visible';
      out[key] += Number(r.n);
    }
    return out;
  }

  /** Reports made against their comments (`against`) or by them, newest first. */
  async reports(userId: number, side: 'against' | 'by', limit: number): Promise<{ items: HistoryReport[]; total: number }> {
    const base = this.db
      .selectFrom('reports')
      .innerJoin('comments', 'comments.id', 'reports.comment_id')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .innerJoin('users as reporter', 'reporter.id', 'reports.reporter_id')
      .where(side === 'against' ? 'comments.author_id' : 'reports.reporter_id', '=', userId);
    const [rows, total] = await Promise.all([
      base
        .select([
          'reports.id',
          'reports.comment_id',
          'comments.author_id',
          'author.display_name as author_name',
          'reports.reporter_id',
          'reporter.display_name as reporter_name',
          'reports.reason',
          'reports.text',
          'reports.created_at',
          'reports.resolved_at',
        ])
        .orderBy('reports.id', 'desc')
        .limit(limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return {
      total: Number(total?.n ?? 0),
      items: rows.map((r) => ({
        id: Number(r.id),
        commentId: Number(r.comment_id),
        commentAuthor: { id: Number(r.author_id), name: r.author_name },
        reporter: { id: Number(r.reporter_id), name: r.reporter_name },
        reason: r.reason,
        text: r.text,
        createdAt: Number(r.created_at),
        resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
      })),
    };
  }

  /** Audit entries about the reader or any comment of theirs, newest first. */
  async actionsAbout(userId: number, limit: number): Promise<{ items: HistoryAction[]; total: number }> {
    const theirs = this.db.selectFrom('comments').select('comments.id').where('comments.author_id', '=', userId);
    const base = this.db
      .selectFrom('audit_log')
      .leftJoin('users as actor', 'actor.id', 'audit_log.actor_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('audit_log.target_type', '=', 'user'), eb('audit_log.target_id', '=', userId)]),
          eb.and([eb('audit_log.target_type', '=', 'comment'), eb('audit_log.target_id', 'in', theirs)]),
        ]),
      );
    const [rows, total] = await Promise.all([
      base
        .select([
          'audit_log.id',
          'audit_log.actor_id',
          'actor.display_name',
          'audit_log.action',
          'audit_log.target_type',
          'audit_log.target_id',
          'audit_log.details',
          'audit_log.created_at',
        ])
        .orderBy('audit_log.id', 'desc')
        .limit(limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return {
      total: Number(total?.n ?? 0),
      items: rows.map((r) => ({
        id: Number(r.id),
        actor: r.actor_id === null ? null : { id: Number(r.actor_id), name: r.display_name ?? '' },
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id === null ? null : Number(r.target_id),
        details: JSON.parse(r.details) as Record<string, unknown>,
        createdAt: Number(r.created_at),
      })),
    };
  }

  // ---- the query --------------------------------------------------------------------------------

  private base() {
    return this.db
      .selectFrom('comments')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .innerJoin('articles as article', 'article.id', 'comments.article_id');
  }

  /** Every filter given, ANDed; an empty filter set matches every comment. */
  private conditions(eb: Eb, f: SearchFilters) {
    const all = [];
    if (f.terms) all.push(this.matches(f.terms));
    if (f.authorId !== null) all.push(eb('comments.author_id', '=', f.authorId));
    if (f.author !== null) {
      const text = f.author.trim();
      const ids = eb
        .selectFrom('users')
        .select('users.id')
        .where((u) => u.or([u('users.email', '=', text.toLowerCase()), sql<boolean>`lower(users.display_name) like ${containsPattern(text)} escape '\\'`]));
      all.push(eb('comments.author_id', 'in', ids));
    }
    if (f.articleId !== null) all.push(eb('comments.article_id', '=', f.articleId));
    if (f.article !== null) {
      const text = f.article.trim();
      const ids = eb
        .selectFrom('articles')
        .select('articles.id')
        .where((a) => a.or([a('articles.slug', '=', text), sql<boolean>`lower(articles.title) like ${containsPattern(text)} escape '\\'`]));
      all.push(eb('comments.article_id', 'in', ids));
    }
    if (f.status !== null) {
      if (f.status === 'pending' || f.status === 'hidden') {
        all.push(eb('comments.status', '=', 'pending'));
        all.push(eb('comments.moderated_at', f.status === 'pending' ? 'is' : 'is not', null));
      } else all.push(eb('comments.status', '=', f.status));
    }
    if (f.from !== null) all.push(eb('comments.created_at', '>=', f.from));
    if (f.to !== null) all.push(eb('comments.created_at', '<', f.to));
    if (f.reports !== null) {
      let r = eb.selectFrom('reports').select(sql.lit(1).as('one')).whereRef('reports.comment_id', '=', 'comments.id');
      if (f.reports === 'open') r = r.where('reports.resolved_at', 'is', null);
      all.push(eb.exists(r));
    }
    return eb.and(all);
  }

  private matches(t: SearchTerms): RawBuilder<boolean> {
    if (this.dialect === 'sqlite') return sql<boolean>`comments.id in (select rowid from comments_fts where comments_fts match ${fts5Query(t)})`;
    // The expression is the one migration 015 indexed, so the GIN index answers it.
    return sql<boolean>`to_tsvector('english', comments.body_src) @@ (${tsQuery(t)})`;
  }
}

/** PostgreSQL's query for the terms: the words, and each phrase in order, all required. */
function tsQuery(t: SearchTerms): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (t.words.length) parts.push(sql`plainto_tsquery('english', ${t.words.join(' ')})`);
  for (const p of t.phrases) parts.push(sql`phraseto_tsquery('english', ${p.join(' ')})`);
  return sql.join(parts, sql` && `);
}
