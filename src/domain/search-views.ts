/**
 * The moderators' search and reader-history answers (issue 16), defined once as TypeBox schemas:
 * the API validates and serializes with them, the pages and tests use their static types.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { REPORT_FILTERS, SEARCH_STATUSES } from './comment-search.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const lit = <const T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const SearchStatusSchema = lit(SEARCH_STATUSES);
export const ReportFilterSchema = lit(REPORT_FILTERS);

/** Text with the matched words marked: a list of parts, so no client ever parses markup. */
export const SnippetSchema = Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() }));

const Person = Type.Object({ id: Type.Integer(), name: Type.String() });

export const SearchResultSchema = Type.Object({
  id: Type.Integer(),
  article: Type.Object({ id: Type.Integer(), slug: Type.String(), title: Type.String() }),
  author: Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.String() }),
  status: SearchStatusSchema,
  isReply: Type.Boolean(),
  createdAt: Type.String(),
  editedAt: Nullable(Type.String()),
  snippet: SnippetSchema,
  reports: Type.Object({ open: Type.Integer(), total: Type.Integer() }),
  links: Type.Object({
    /** The comment in its discussion. */
    comment: Type.String(),
    /** Where a moderator acts on it (its queue), when it is in one. */
    moderation: Nullable(Type.String()),
    /** Its author's history. */
    history: Type.String(),
  }),
});
export type SearchResult = Static<typeof SearchResultSchema>;

export const SearchPageSchema = Type.Object({
  results: Type.Array(SearchResultSchema),
  total: Type.Integer(),
  nextCursor: Nullable(Type.String()),
});
export type SearchPage = Static<typeof SearchPageSchema>;

const HistoryReportSchema = Type.Object({
  id: Type.Integer(),
  commentId: Type.Integer(),
  commentAuthor: Person,
  reporter: Person,
  reason: Type.String(),
  text: Type.String(),
  createdAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
});
export type HistoryReport = Static<typeof HistoryReportSchema>;

const HistoryActionSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Nullable(Person),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.Integer()),
  details: Type.Object({}, { additionalProperties: true }),
});
export type HistoryAction = Static<typeof HistoryActionSchema>;

/** What a moderator sees of one reader: their comments, reports both ways, and actions taken. */
export const ReaderHistorySchema = Type.Object({
  user: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    email: Type.String(),
    role: Type.String(),
    createdAt: Type.String(),
    suspendedUntil: Nullable(Type.String()),
    banned: Type.Boolean(),
  }),
  statusCounts: Type.Object(
    Object.fromEntries(SEARCH_STATUSES.map((s) => [s, Type.Integer()])) as Record<(typeof SEARCH_STATUSES)[number], ReturnType<typeof Type.Integer>>,
  ),
  comments: SearchPageSchema,
  reportsAgainst: Type.Object({ items: Type.Array(HistoryReportSchema), total: Type.Integer() }),
  reportsMade: Type.Object({ items: Type.Array(HistoryReportSchema), total: Type.Integer() }),
  actions: Type.Object({ items: Type.Array(HistoryActionSchema), total: Type.Integer() }),
});
export type ReaderHistory = Static<typeof ReaderHistorySchema>;
