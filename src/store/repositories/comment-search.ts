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

type Eb = ExpressionBuilder<Database, 'comments'>;

/** Above this many matches SQLite reads comments newest first rather than fetching every match. */
const SQLITE_MANY_MATCHES = 500;
/** PostgreSQL does the same above this share of all comments (checking each costs a to_tsvector). */
const PG_DENSE_MATCHES = 0.02;

const narrower = (f: SearchFilters) => f.authorId !== null || f.author !== null || f.articleId !== null || f.article !== null;

/** Words are the only filter: the word index alone can count the matches. */
const onlyWords = (f: SearchFilters) =>
  f.authorId === null &&
  f.author === null &&
  f.articleId === null &&
  f.article === null &&
  f.status === null &&
  f.from === null &&
  f.to === null &&
  f.reports === null;

/**
 * Moderators' search over comments and a reader's history. The words are found by the full-text
 * index of migration 015 (FTS5 on SQLite, a GIN tsvector index on PostgreSQL); every other filter
 * is a plain indexed condition, and the two combine in one query.
 */
export class CommentSearchRepository extends Repository {
  /** Set by `deferIndexing`, in the transaction of a batch of posts. */
  private deferred = false;

  /**
   * On SQLite, leaves the comments this transaction inserts from now on to `indexDeferred`, which
   * indexes them in one statement (migration 019). SQLite's one writer inserts nothing else
   * meanwhile, so they are exactly those above the highest id now.
   */
  async deferIndexing(): Promise<void> {
    if (this.dialect !== 'sqlite' || this.deferred) return;
    await sql`insert into comments_fts_deferred (since_id) select coalesce(max(id), 0) from comments`.execute(this.db);
    this.deferred = true;
  }

  /** Indexes what `deferIndexing` left, as it stands now; before the transaction commits. */
  async indexDeferred(): Promise<void> {
    if (!this.deferred) return;
    await sql`insert into comments_fts (rowid, body_src)
      select id, body_src from comments where id > (select since_id from comments_fts_deferred)`.execute(this.db);
    await sql`delete from comments_fts_deferred`.execute(this.db);
    this.deferred = false;
  }

  /**
   * A page of matching comments, newest first, after `after`, and how many match in all. The
   * page's ids are found on comments alone; names and titles are joined for those rows only.
   */
  async page(f: SearchFilters, after: SearchCursor | null, limit: number): Promise<{ rows: FoundComment[]; total: number }> {
    const total = await this.count(f);
    const plan = await this.plan(f, total);
    let q = this.db
      .selectFrom('comments')
      .select('comments.id')
      .where((eb) => this.conditions(eb, f, plan));
    if (after) q = q.where(sql<boolean>`(comments.created_at, comments.id) < (${after.at}, ${after.id})`);
    const ids = (await q.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit).execute()).map((r) => Number(r.id));
    return { rows: await this.details(ids), total };
  }

  /** How many comments match, whatever the page. */
  async count(f: SearchFilters): Promise<number> {
    if (this.dialect === 'sqlite' && f.terms && onlyWords(f)) {
      // Every comment has its row in the index (a deleted one with no words), so the index counts alone.
      const { rows } = await sql<{ n: number }>`select count(*) as n from comments_fts where comments_fts match ${fts5Query(f.terms)}`.execute(this.db);
      return Number(rows[0]?.n ?? 0);
    }
    const r = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      // PostgreSQL counts best from the word index's bitmap, which it picks for a count by itself.
      .where((eb) => this.conditions(eb, f, this.dialect === 'postgres' || narrower(f) ? 'other' : 'words'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  private async details(ids: number[]): Promise<FoundComment[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('comments')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .innerJoin('articles as article', 'article.id', 'comments.article_id')
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
      ])
      .where('comments.id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [
        {
          id,
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
        },
      ];
    });
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

  /**
   * Which index a page of a word search should walk. `words`: the word index's matches, fetched by
   * id and sorted; best when they are few. `other`: the author's or article's index when one is
   * asked for; else, when matches are many, the creation-time index read newest first until the
   * page is full, checking each comment against the words. PostgreSQL would take that second road
   * even for a few hundred matches among 100,000 (it rates to_tsvector as cheap; 113 ms, against
   * 3 ms through the word index), so the choice is made here from the count already known.
   */
  private async plan(f: SearchFilters, matches: number): Promise<'words' | 'other'> {
    if (!f.terms) return 'words';
    if (narrower(f)) return 'other';
    if (this.dialect === 'sqlite') return matches > SQLITE_MANY_MATCHES ? 'other' : 'words';
    // The planner's own row estimate, kept by ANALYZE and autovacuum: no count of the table.
    const { rows } = await sql<{ n: number }>`select reltuples as n from pg_class where oid = 'comments'::regclass`.execute(this.db);
    return matches > Math.max(1, Number(rows[0]?.n ?? 0)) * PG_DENSE_MATCHES ? 'other' : 'words';
  }

  /** Every filter given, ANDed; an empty filter set matches every comment. */
  private conditions(eb: Eb, f: SearchFilters, plan: 'words' | 'other') {
    const all = [];
    // SQLite's unary + keeps a term from choosing the index: the plan above chooses instead.
    const plus = this.dialect === 'sqlite' && plan === 'other' ? sql`+` : sql``;
    if (f.terms) all.push(this.matches(f.terms, plan, plus));
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
      } else all.push(sql<boolean>`${plus}comments.status = ${f.status}`);
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

  private matches(t: SearchTerms, plan: 'words' | 'other', plus: RawBuilder<unknown>): RawBuilder<boolean> {
    if (this.dialect === 'sqlite') return sql<boolean>`${plus}comments.id in (select rowid from comments_fts where comments_fts match ${fts5Query(t)})`;
    // The expression is the one migration 015 indexed, so the GIN index answers it.
    const match = (alias: string) => sql<boolean>`to_tsvector('english', ${sql.ref(`${alias}.body_src`)}) @@ (${tsQuery(t)})`;
    if (plan === 'other') return match('comments');
    // An array built once (an InitPlan) from the word index: the planner cannot trade it for a scan.
    return sql<boolean>`comments.id = any(array(select m.id from comments as m where ${match('m')}))`;
  }
}

/** PostgreSQL's query for the terms: the words, and each phrase in order, all required. */
function tsQuery(t: SearchTerms): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (t.words.length) parts.push(sql`plainto_tsquery('english', ${t.words.join(' ')})`);
  for (const p of t.phrases) parts.push(sql`phraseto_tsquery('english', ${p.join(' ')})`);
  return sql.join(parts, sql` && `);
}
