import {
  dayRange,
  decodeCursor,
  encodeCursor,
  parseTerms,
  plainExcerpt,
  queueTabFor,
  searchStatusOf,
  snippetParts,
  type ReportFilter,
  type SearchFilters,
  type SearchStatus,
} from '../domain/comment-search.js';
import { badRequest, notFound } from '../domain/errors.js';
import { enforce, moderateBlock, type Actor } from '../domain/permissions.js';
import type { ReaderHistory, SearchPage, SearchResult } from '../domain/search-views.js';
import { messages } from '../messages.js';
import type { FoundComment, HistoryReport } from '../store/repositories/comment-search.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';

/** A search as asked: the API's query string and the search page's form share it. */
export interface SearchQuery {
  q?: string;
  author?: string;
  authorId?: number;
  article?: string;
  articleId?: number;
  status?: SearchStatus;
  from?: string;
  to?: string;
  reports?: ReportFilter;
  cursor?: string;
  limit?: number;
}

const PAGE = 20;
const HISTORY_ITEMS = 20;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

/**
 * Moderators' search over every comment and a reader's history (issue 16). Only moderators and
 * admins may use it (domain/permissions.ts, as for the queue); the store does the finding.
 */
export class ModeratorSearch {
  constructor(private readonly deps: { store: Pick<Store, 'search' | 'users'>; clock: Clock }) {}

  private moderator(actor: Actor | null): void {
    enforce(moderateBlock(actor, this.deps.clock.now()));
  }

  /** The filters a query asks for; a 400 when its dates or cursor cannot be read. */
  filters(q: SearchQuery): SearchFilters {
    const days = dayRange(blank(q.from), blank(q.to));
    if (!days) throw badRequest('bad_date_range', messages.moderation.search.badDates);
    return {
      terms: parseTerms(q.q ?? ''),
      authorId: q.authorId ?? null,
      author: blank(q.author),
      articleId: q.articleId ?? null,
      article: blank(q.article),
      status: q.status ?? null,
      from: days.from,
      to: days.to,
      reports: q.reports ?? null,
    };
  }

  async search(actor: Actor | null, q: SearchQuery): Promise<SearchPage> {
    this.moderator(actor);
    const f = this.filters(q);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !after) throw badRequest('bad_cursor', messages.errors.bad_cursor);
    const limit = q.limit ?? PAGE;
    const { search } = this.deps.store;
    const { rows, total } = await search.page(f, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      results: await this.results(page, f),
      total,
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }

  /** Each comment with its snippet (highlighted where the words matched) and report counts. */
  private async results(rows: FoundComment[], f: SearchFilters): Promise<SearchResult[]> {
    const ids = rows.map((r) => r.id);
    const { search } = this.deps.store;
    const [snips, reports] = await Promise.all([f.terms ? search.snippets(ids, f.terms) : new Map<number, string>(), search.reportCounts(ids)]);
    return rows.map((r) => {
      const status = searchStatusOf(r.status, r.moderatedAt);
      const rep = reports.get(r.id) ?? { open: 0, total: 0 };
      const snip = snips.get(r.id);
      const tab = queueTabFor(status, rep.open);
      return {
        id: r.id,
        article: { id: r.articleId, slug: r.articleSlug, title: r.articleTitle },
        author: { id: r.authorId, name: r.authorName, email: r.authorEmail },
        status,
        isReply: r.parentId !== null,
        createdAt: new Date(r.createdAt).toISOString(),
        editedAt: iso(r.editedAt),
        snippet: snip === undefined ? plainExcerpt(r.bodySrc) : snippetParts(snip),
        reports: rep,
        links: {
          comment: `/articles/${encodeURIComponent(r.articleSlug)}?comment=${r.id}#comment-${r.id}`,
          moderation: tab ? `/admin?tab=${tab}#item-${r.id}` : null,
          history: `/admin/users/${r.authorId}`,
        },
      };
    });
  }

  /** One reader as moderators see them: latest comments, reports both ways, actions taken. */
  async history(actor: Actor | null, userId: number, cursor?: string): Promise<ReaderHistory> {
    this.moderator(actor);
    const user = await this.deps.store.users.byId(userId);
    if (!user) throw notFound('user_not_found', messages.errors.user_not_found);
    const { search } = this.deps.store;
    const [statusCounts, comments, against, made, actions] = await Promise.all([
      search.statusCounts(userId),
      this.search(actor, { authorId: userId, cursor, limit: HISTORY_ITEMS }),
      search.reports(userId, 'against', HISTORY_ITEMS),
      search.reports(userId, 'by', HISTORY_ITEMS),
      search.actionsAbout(userId, HISTORY_ITEMS),
    ]);
    const report = (r: HistoryReport) => ({ ...r, createdAt: new Date(r.createdAt).toISOString(), resolvedAt: iso(r.resolvedAt) });
    return {
      user: {
        id: user.id,
        name: user.displayName,
        email: user.email,
        role: user.role,
        createdAt: user.createdAt.toISOString(),
        suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
        banned: user.banned,
      },
      statusCounts,
      comments,
      reportsAgainst: { total: against.total, items: against.items.map(report) },
      reportsMade: { total: made.total, items: made.items.map(report) },
      actions: {
        total: actions.total,
        items: actions.items.map(({ createdAt, ...a }) => ({ ...a, at: new Date(createdAt).toISOString() })),
      },
    };
  }
}
