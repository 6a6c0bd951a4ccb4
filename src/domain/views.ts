/**
 * The shapes that cross HTTP, each defined once as a TypeBox schema: routes validate and serialize
 * their answers with the schema; the server, the widget and the tests use its static type. The
 * widget imports these types only (`import type`), so TypeBox never reaches the browser.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const lit = <const T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const SortSchema = Type.Union([Type.Literal('top'), Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('featured')], { default: 'top' });
export const VoteValueSchema = Type.Union([Type.Literal(-1), Type.Literal(0), Type.Literal(1)]);

/** The passage of the article a comment is about, where it currently is in the article's text. */
export const PassageRefSchema = Type.Object({ exact: Type.String(), start: Type.Integer(), end: Type.Integer(), status: lit(['anchored', 'orphaned']) });
export type PassageRef = Static<typeof PassageRefSchema>;

/** A comment as the API and the widget see it: only what a reader may know, dates as ISO strings. */
export const CommentViewSchema = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  rootId: Nullable(Type.Integer()),
  depth: Type.Integer(),
  /** null once the comment is deleted: the placeholder names nobody. */
  author: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  /** The name of the author of the comment this one answers (for `Reply to <name>`). */
  replyTo: Nullable(Type.String()),
  bodyHtml: Type.String(),
  bodySrc: Nullable(Type.String()),
  status: lit(['visible', 'pending', 'deleted']),
  createdAt: Type.String({ format: 'date-time' }),
  editedAt: Nullable(Type.String({ format: 'date-time' })),
  editedBy: Nullable(Type.String()),
  score: Type.Integer(),
  up: Type.Integer(),
  down: Type.Integer(),
  myVote: VoteValueSchema,
  replyCount: Type.Integer(),
  anchor: Nullable(PassageRefSchema),
  canEdit: Type.Boolean(),
  canDelete: Type.Boolean(),
  /** Featured by a moderator: listed before the other top-level comments. */
  pinned: Type.Optional(Type.Boolean()),
  /** A locked thread takes no new replies. */
  locked: Type.Optional(Type.Boolean()),
  /** Written by the article's author (badge "Author"); absent otherwise. */
  byArticleAuthor: Type.Optional(Type.Boolean()),
  /** An editors' pick (badge "Editors' pick"); absent otherwise. */
  featured: Type.Optional(Type.Boolean()),
  /**
   * Present (true) only in the answers to the reader who muted this comment's author: their
   * comments collapse for that reader. No answer to anyone else carries it.
   */
  muted: Type.Optional(Type.Boolean()),
});
export type CommentView = Static<typeof CommentViewSchema>;

/** A top-level comment with the first replies of its thread, flat and in time order. */
export const ThreadViewSchema = Type.Object({
  comment: CommentViewSchema,
  replies: Type.Array(CommentViewSchema),
  /** Cursor for the next replies of this thread, or null when all are here. */
  repliesCursor: Nullable(Type.String()),
  moreReplies: Type.Integer(),
  /** Under the Featured tab, a picked reply comes with the comment it answers. */
  context: Type.Optional(Type.Object({ id: Type.Integer(), author: Nullable(Type.String()), excerpt: Type.String() })),
});
export type ThreadView = Static<typeof ThreadViewSchema>;

export const ThreadPageSchema = Type.Object({
  sort: SortSchema,
  threads: Type.Array(ThreadViewSchema),
  nextCursor: Nullable(Type.String()),
  /**
   * The article's last event before this page was read: a live stream opened `after` it misses
   * nothing the page does not show, however long the page waited in a cache.
   */
  since: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ThreadPage = Static<typeof ThreadPageSchema>;

/** A further page of one thread's replies. */
export const RepliesPageSchema = Type.Object({ replies: Type.Array(CommentViewSchema), repliesCursor: Nullable(Type.String()), moreReplies: Type.Integer() });
export type RepliesPage = Static<typeof RepliesPageSchema>;

export const VoteResultSchema = Type.Object({ up: Type.Integer(), down: Type.Integer(), score: Type.Integer(), myVote: VoteValueSchema });
export type VoteResult = Static<typeof VoteResultSchema>;

/** The viewer's "Notify of" choices: this article's new comments, replies to their comments. */
/** Who is signed in, as the session, account and SSO answers describe them. */
export const ViewerInfoSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  subscriber: Type.Boolean(),
  subscriberUntil: Nullable(Type.String()),
});

export const FollowStateSchema = Type.Object({
  article: Type.Boolean(),
  replies: Type.Boolean(),
  digest: lit(['instant', 'daily']),
  /** Whether the article's follow also mails its editors' picks (off by default). */
  featured: Type.Optional(Type.Boolean()),
});
export type FollowState = Static<typeof FollowStateSchema>;

/** The answer to posting or deleting a comment: the comment as now seen, and the article's new count. */
export const CommentChangedSchema = Type.Object({ comment: CommentViewSchema, commentCount: Type.Integer() });
export type CommentChanged = Static<typeof CommentChangedSchema>;
export const CommentEditedSchema = Type.Object({ comment: CommentViewSchema });
export type CommentEdited = Static<typeof CommentEditedSchema>;
export const PassageCommentsSchema = Type.Object({ comments: Type.Array(CommentViewSchema) });
export type PassageComments = Static<typeof PassageCommentsSchema>;

/** W3C Web Annotation selectors for a passage of the article, as a new comment names it; the service checks them further. */
export const PassageSelectorsSchema = Type.Object(
  {
    quote: Type.Object(
      {
        type: Type.Literal('TextQuoteSelector'),
        exact: Type.String({ minLength: 1, maxLength: 1000 }),
        prefix: Type.String({ maxLength: 64 }),
        suffix: Type.String({ maxLength: 64 }),
      },
      { additionalProperties: false },
    ),
    position: Type.Object(
      { type: Type.Literal('TextPositionSelector'), start: Type.Integer({ minimum: 0 }), end: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PassageSelectors = Static<typeof PassageSelectorsSchema>;
export type VoteValue = Static<typeof VoteValueSchema>;

/**
 * The `data` of one event of an article's live stream (`event:` names its type; a `reset` event
 * carries `{}`). `comment.hidden` names only the comment's id: readers no longer see it.
 */
export const LiveEventTypes = ['comment.created', 'comment.edited', 'comment.deleted', 'comment.voted', 'comment.hidden'] as const;
export type LiveEventType = (typeof LiveEventTypes)[number];
export const LiveEventDataSchema = Type.Object({
  comment: Type.Union([CommentViewSchema, Type.Object({ id: Type.Integer() })]),
  commentCount: Type.Integer(),
});
export type LiveEventData = Static<typeof LiveEventDataSchema>;

const CommentStatusSchema = lit(['visible', 'pending', 'rejected', 'deleted']);

/** A comment in the moderation queue, with what a moderator needs to decide on it. */
export const QueueItemSchema = Type.Object({
  comment: Type.Object({
    id: Type.Integer(),
    articleId: Type.Integer(),
    parentId: Nullable(Type.Integer()),
    rootId: Nullable(Type.Integer()),
    depth: Type.Integer(),
    status: CommentStatusSchema,
    bodyHtml: Type.String(),
    bodySrc: Type.String(),
    createdAt: Type.String(),
    editedAt: Nullable(Type.String()),
    editedBy: Nullable(Type.String()),
    score: Type.Integer(),
    up: Type.Integer(),
    down: Type.Integer(),
    pinned: Type.Boolean(),
    /** An editors' pick (absent before any comment was featured). */
    featured: Type.Optional(Type.Boolean()),
    /** Whether the thread the comment is in takes no new replies. */
    threadLocked: Type.Boolean(),
    reason: Nullable(Type.String()),
    /** Banned words found in it now, to show moderators what a rule saw. */
    bannedWords: Type.Array(Type.String()),
  }),
  article: Type.Object({ id: Type.Integer(), slug: Type.String(), title: Type.String(), policy: lit(['subscribers', 'members', 'closed']) }),
  parent: Nullable(Type.Object({ id: Type.Integer(), authorName: Type.String(), bodyHtml: Type.String(), status: CommentStatusSchema })),
  reports: Type.Array(Type.Object({ reason: Type.String(), text: Type.String(), reporter: Type.String(), createdAt: Type.String() })),
  author: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    role: lit(['reader', 'moderator', 'admin']),
    createdAt: Type.String(),
    suspendedUntil: Nullable(Type.String()),
    banned: Type.Boolean(),
    comments: Type.Integer(),
    published: Type.Integer(),
    rejectedRecently: Type.Integer(),
  }),
});
export type QueueItem = Static<typeof QueueItemSchema>;
