import type { Config } from '../config.js';
import { normaliseBody } from '../domain/comment-body.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import { bannedWordsIn, type ArticleModeration, type ModerationSettings, type ReportReason } from '../domain/moderation.js';
import {
  adminBlock,
  check,
  denialError,
  enforce,
  keepsAnAdmin,
  moderateBlock,
  reportBlock,
  roleChangeBlock,
  userActionBlock,
  type Actor,
  type Denial,
} from '../domain/permissions.js';
import type { Comment, CommentPolicy, Role, User } from '../domain/types.js';
import type { QueueItem } from '../domain/views.js';
import { messages } from '../messages.js';
import { renderComment } from '../render/markdown.js';
import type { AuditRecord, Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { ChangeTracker, DiscussionChanges } from './discussion-changes.js';
import { mentionable } from './mentions.js';
import type { ModerationRules } from './posting/settings.js';

export type QueueTab = 'pending' | 'reported' | 'rejected';
export const QUEUE_TABS: readonly QueueTab[] = ['pending', 'reported', 'rejected'];

/** How far back "recently rejected" and an author's "recent rejections" reach. */
const RECENT_MS = 30 * 86_400_000;
const QUEUE_PAGE = 50;
const AUDIT_PAGE = 100;

// Defined with its schema (the admin API's answer) in src/domain/views.ts.
export type { QueueItem } from '../domain/views.js';

export interface QueuePage {
  tab: QueueTab;
  items: QueueItem[];
  nextCursor: string | null;
  counts: Record<QueueTab, number>;
}

/** An audit record as the API shows it: its time as an ISO string. */
export type AuditEntry = Omit<AuditRecord, 'createdAt'> & { at: string };

export type BulkAction = 'approve' | 'reject';

const excerpt = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** What moderation reads and changes: comment status and queues, accounts, articles' rules, the event log. */
type ModerationStore = Pick<Store, 'users' | 'articles' | 'comments' | 'moderation' | 'settings' | 'transaction'>;

export interface ModerationDeps {
  store: ModerationStore;
  config: Pick<Config, 'REPORTS_TO_HIDE' | 'MAX_COMMENT_LENGTH'>;
  clock: Clock;
  /** The one path every change to a discussion takes (events, caches, wake-ups). */
  changes: DiscussionChanges;
  rules: ModerationRules;
  /** Work that commits with a new editors' pick, e.g. the mails to followers who asked for them. */
  onFeatured?: ((tx: Store, comment: Comment) => Promise<void>)[];
}

/**
 * The moderation use cases: reports, the queue, actions on comments, articles and accounts, roles
 * and settings. Every action commits together with its audit-log entry and, when readers would see
 * a difference, a discussion event that refreshes cached pages and live clients.
 */
export class Moderation {
  private readonly store: ModerationStore;
  private readonly config: ModerationDeps['config'];
  private readonly clock: Clock;
  private readonly changes: DiscussionChanges;
  readonly rules: ModerationRules;
  private readonly onFeatured: NonNullable<ModerationDeps['onFeatured']>;

  constructor(deps: ModerationDeps) {
    this.onFeatured = deps.onFeatured ?? [];
    this.store = deps.store;
    this.config = deps.config;
    this.clock = deps.clock;
    this.changes = deps.changes;
    this.rules = deps.rules;
  }

  // ---- who may do what ------------------------------------------------------------------------

  // The rules are domain/permissions.ts; these only apply them at the clock's time.

  private moderator(actor: Actor | null): Actor {
    enforce(moderateBlock(actor, this.clock.now()));
    return actor!;
  }

  private admin(actor: Actor | null): Actor {
    enforce(adminBlock(actor, this.clock.now()));
    return actor!;
  }

  /** Why `actor` may not open a part of the dashboard, or null; the pages answer with their own status. */
  access(actor: Actor | null, part: 'view_queue' | 'view_audit' | 'change_settings'): Denial | null {
    return check(actor, part, {}, this.clock.now());
  }

  /** Whether `actor` may suspend or ban `target`; the dashboard shows those buttons only then. */
  mayActOn(actor: Actor | null, target: Pick<User, 'id' | 'role'>): boolean {
    return userActionBlock(actor, target, this.clock.now()) === null;
  }

  private async targetUser(actor: Actor, userId: number): Promise<User> {
    const user = await this.store.users.byId(userId);
    if (!user) throw notFound('user_not_found', messages.errors.user_not_found);
    enforce(userActionBlock(actor, user, this.clock.now()));
    return user;
  }

  /** The article and author behind a comment, for dashboard actions that start from a queue item. */
  async subjectOf(actor: Actor | null, commentId: number): Promise<{ articleId: number; authorId: number }> {
    this.moderator(actor);
    const c = await this.commentOr404(commentId);
    return { articleId: c.articleId, authorId: c.authorId };
  }

  private async commentOr404(id: number): Promise<Comment> {
    const c = await this.store.comments.byId(id);
    if (!c) throw notFound('comment_not_found', messages.errors.comment_not_found);
    return c;
  }

  /** One transaction for the change and its audit entries; its events come from the change path. */
  private commit<T>(fn: (tx: ModerationStore, track: ChangeTracker, now: Date) => Promise<T>): Promise<T> {
    const now = this.clock.now();
    return this.changes.run((tx, track) => fn(tx, track, now));
  }

  // ---- reports --------------------------------------------------------------------------------

  /** A reader flags a comment, once; enough open reports take it out of view until a moderator looks. */
  async report(actor: Actor | null, commentId: number, reason: ReportReason, text: string): Promise<{ reported: true }> {
    if (!actor) throw denialError('unauthenticated');
    const c = await this.store.comments.byId(commentId);
    if (!c || c.status === 'rejected' || (c.status === 'pending' && c.authorId !== actor.user.id))
      throw notFound('comment_not_found', messages.errors.comment_not_found);
    const now = this.clock.now();
    enforce(reportBlock(actor, c, now));
    await this.commit(async (tx, track) => {
      await track.touch(commentId);
      if (!(await tx.moderation.addReport({ commentId, reporterId: actor.user.id, reason, text: text.trim().slice(0, 1000), now }))) {
        throw conflict('already_reported', messages.errors.already_reported);
      }
      track.reported(commentId);
      const open = await tx.moderation.openReportCount(commentId);
      if (open >= this.config.REPORTS_TO_HIDE && (await tx.comments.hold(commentId, 'reports', now))) {
        await tx.moderation.audit({ actorId: null, action: 'comment.auto_hide', targetType: 'comment', targetId: commentId, details: { reports: open }, now });
      }
    });
    return { reported: true };
  }

  // ---- the queue ------------------------------------------------------------------------------

  async counts(actor: Actor | null): Promise<Record<QueueTab, number>> {
    this.moderator(actor);
    const since = new Date(this.clock.now().getTime() - RECENT_MS);
    const [pending, reported, rejected] = await Promise.all([
      this.store.moderation.countByStatus('pending'),
      this.store.moderation.countReported(),
      this.store.moderation.countByStatus('rejected', since),
    ]);
    return { pending, reported, rejected };
  }

  async queue(actor: Actor | null, tab: QueueTab, cursor?: string): Promise<QueuePage> {
    this.moderator(actor);
    const after = cursor ? Number(cursor) : null;
    if (after !== null && !Number.isSafeInteger(after)) throw badRequest('bad_cursor', messages.errors.bad_cursor);
    const since = new Date(this.clock.now().getTime() - RECENT_MS);
    const rows =
      tab === 'pending'
        ? await this.store.moderation.pendingQueue(after ?? 0, QUEUE_PAGE + 1)
        : tab === 'reported'
          ? await this.store.moderation.reportedQueue(after ?? 0, QUEUE_PAGE + 1)
          : await this.store.moderation.rejectedQueue(since, after, QUEUE_PAGE + 1);
    const page = rows.slice(0, QUEUE_PAGE);
    return {
      tab,
      items: await this.items(page, since),
      nextCursor: rows.length > QUEUE_PAGE ? String(page.at(-1)!.id) : null,
      counts: await this.counts(actor),
    };
  }

  /** Everything a moderator needs beside each comment, fetched in a few batched queries. */
  private async items(list: Comment[], since: Date): Promise<QueueItem[]> {
    const ids = list.map((c) => c.id);
    const uniq = (xs: (number | null)[]) => [...new Set(xs.filter((x): x is number => x !== null))];
    const [articles, related, reports, authors, history, settings] = await Promise.all([
      this.store.articles.byIds(uniq(list.map((c) => c.articleId))),
      this.store.comments.byIds(uniq([...list.map((c) => c.parentId), ...list.map((c) => c.rootId)])),
      this.store.moderation.openReportsFor(ids),
      this.store.users.byIds(uniq(list.map((c) => c.authorId))),
      this.store.moderation.authorHistory(uniq(list.map((c) => c.authorId)), since),
      this.rules.site(),
    ]);
    const article = new Map(articles.map((a) => [a.id, a]));
    const byId = new Map(related.map((c) => [c.id, c]));
    const user = new Map(authors.map((u) => [u.id, u]));
    return list.map((c) => {
      const a = article.get(c.articleId)!;
      const parent = c.parentId === null ? null : (byId.get(c.parentId) ?? null);
      const root = c.rootId === null ? c : byId.get(c.rootId);
      const u = user.get(c.authorId)!;
      const h = history.get(c.authorId) ?? { comments: 0, published: 0, rejected: 0 };
      return {
        comment: {
          id: c.id,
          articleId: c.articleId,
          parentId: c.parentId,
          rootId: c.rootId,
          depth: c.depth,
          status: c.status,
          bodyHtml: c.bodyHtml,
          bodySrc: c.bodySrc,
          createdAt: c.createdAt.toISOString(),
          editedAt: c.editedAt?.toISOString() ?? null,
          editedBy: c.editedByName,
          score: c.score,
          up: c.up,
          down: c.down,
          pinned: c.pinned,
          featured: c.featuredAt !== null,
          threadLocked: root?.locked ?? false,
          reason: c.moderationReason,
          bannedWords: bannedWordsIn(c.bodySrc, settings.bannedWords),
        },
        article: { id: a.id, slug: a.slug, title: a.title, policy: a.commentPolicy },
        // A parent readers no longer see is still context for a moderator.
        parent: parent ? { id: parent.id, authorName: parent.authorName, bodyHtml: parent.bodyHtml, status: parent.status } : null,
        reports: reports
          .filter((r) => r.commentId === c.id)
          .map((r) => ({ reason: r.reason, text: r.text, reporter: r.reporterName, createdAt: r.createdAt.toISOString() })),
        author: {
          id: u.id,
          name: u.displayName,
          role: u.role,
          createdAt: u.createdAt.toISOString(),
          suspendedUntil: u.suspendedUntil?.toISOString() ?? null,
          banned: u.banned,
          comments: h.comments,
          published: h.published,
          rejectedRecently: h.rejected,
        },
      };
    });
  }

  // ---- actions on comments --------------------------------------------------------------------

  /** Publishes held or rejected comments; returns the ids that changed. Reports on them are settled. */
  async approve(actor: Actor | null, ids: readonly number[], bulk = false): Promise<{ done: number[] }> {
    return this.decide(actor, ids, bulk, 'comment.approve', {}, async (tx, c, moderatorId, now) => {
      const published = await tx.comments.approve(c.id, moderatorId, now);
      // Approving a visible comment is how a moderator dismisses reports against it.
      return published || c.status === 'visible';
    });
  }

  async reject(actor: Actor | null, ids: readonly number[], reason: string, bulk = false): Promise<{ done: number[] }> {
    const why = reason.trim().slice(0, 500) || 'rejected';
    return this.decide(actor, ids, bulk, 'comment.reject', { reason: why }, (tx, c, moderatorId, now) => tx.comments.reject(c.id, moderatorId, why, now));
  }

  /**
   * A moderator's decision on comments: `apply` changes each one (false: nothing to do), and every
   * changed comment has its reports settled and an audit entry, all in one change.
   */
  private async decide(
    actor: Actor | null,
    ids: readonly number[],
    bulk: boolean,
    action: 'comment.approve' | 'comment.reject',
    details: Record<string, unknown>,
    apply: (tx: ModerationStore, c: Comment, moderatorId: number, now: Date) => Promise<boolean>,
  ): Promise<{ done: number[] }> {
    const a = this.moderator(actor);
    const list = await this.store.comments.byIds(ids);
    if (!bulk && list.length === 0) throw notFound('comment_not_found', messages.errors.comment_not_found);
    const done = await this.commit(async (tx, track, now) => {
      const changed: number[] = [];
      for (const c of list) {
        await track.touch(c.id);
        if (!(await apply(tx, c, a.user.id, now))) continue;
        await tx.moderation.resolveReports([c.id], a.user.id, now);
        await tx.moderation.audit({
          actorId: a.user.id,
          action,
          targetType: 'comment',
          targetId: c.id,
          details: { from: c.status, ...details, ...(bulk ? { bulk: true } : {}) },
          now,
        });
        changed.push(c.id);
      }
      return changed;
    });
    return { done };
  }

  async bulk(actor: Actor | null, action: BulkAction, ids: readonly number[], reason = ''): Promise<{ done: number[] }> {
    return action === 'approve' ? this.approve(actor, ids, true) : this.reject(actor, ids, reason, true);
  }

  /** A moderator's edit is a revision like any other, signed with their name (`Last edited by`). */
  async edit(actor: Actor | null, id: number, body: string): Promise<{ id: number; bodyHtml: string }> {
    const a = this.moderator(actor);
    const c = await this.commentOr404(id);
    if (c.status === 'deleted') throw conflict('not_editable', messages.errors.not_editable);
    const text = normaliseBody(body, this.config.MAX_COMMENT_LENGTH);
    // Mentions stay linked through a moderator's edit (nobody is told again).
    const { html } = renderComment(text, await mentionable(this.store, c.articleId, c.rootId ?? c.id, text));
    if (text !== c.bodySrc) {
      await this.commit(async (tx, track, now) => {
        await track.touch(c.id);
        await tx.comments.edit(c.id, text, html, a.user.id, now);
        await tx.moderation.audit({
          actorId: a.user.id,
          action: 'comment.edit',
          targetType: 'comment',
          targetId: c.id,
          details: { before: excerpt(c.bodySrc), after: excerpt(text) },
          now,
        });
      });
    }
    return { id: c.id, bodyHtml: html };
  }

  async pin(actor: Actor | null, id: number, pinned: boolean): Promise<{ id: number; pinned: boolean }> {
    const a = this.moderator(actor);
    const c = await this.commentOr404(id);
    if (c.depth !== 0) throw badRequest('pin_top_level', messages.errors.pin_top_level);
    if (pinned && c.status !== 'visible') throw conflict('not_pinnable', messages.errors.not_pinnable);
    await this.commit(async (tx, track, now) => {
      await track.touch(c.id);
      await tx.comments.setPinned(c.id, pinned);
      await tx.moderation.audit({
        actorId: a.user.id,
        action: pinned ? 'comment.pin' : 'comment.unpin',
        targetType: 'comment',
        targetId: c.id,
        details: {},
        now,
      });
    });
    return { id: c.id, pinned };
  }

  /**
   * Makes a comment an editors' pick, or takes it off the list. Only a comment readers see can be
   * picked; picking it again keeps its first time (and mails nobody twice). Open pages redraw it
   * with its badge through the change path's `comment.edited`.
   */
  async feature(actor: Actor | null, id: number, featured: boolean): Promise<{ id: number; featured: boolean }> {
    const a = this.moderator(actor);
    const c = await this.commentOr404(id);
    if (featured && c.status !== 'visible') throw conflict('not_featurable', messages.errors.not_featurable);
    if (featured === (c.featuredAt !== null)) return { id: c.id, featured };
    const now = this.clock.now();
    await this.changes.run(
      async (tx, track) => {
        await track.touch(c.id);
        await tx.comments.setFeatured(c.id, featured ? a.user.id : null, now);
        await tx.moderation.audit({
          actorId: a.user.id,
          action: featured ? 'comment.feature' : 'comment.unfeature',
          targetType: 'comment',
          targetId: c.id,
          details: { article: c.articleId },
          now,
        });
        if (featured) for (const hook of this.onFeatured) await hook(tx, (await tx.comments.byId(c.id))!);
      },
      { articleId: c.articleId },
    );
    return { id: c.id, featured };
  }

  /** Locks (or unlocks) the thread a comment belongs to, at its top-level comment. */
  async lock(actor: Actor | null, id: number, locked: boolean): Promise<{ rootId: number; locked: boolean }> {
    const a = this.moderator(actor);
    const c = await this.commentOr404(id);
    const rootId = c.rootId ?? c.id;
    await this.commit(async (tx, track, now) => {
      await track.touch(rootId);
      await tx.comments.setLocked(rootId, locked);
      await tx.moderation.audit({
        actorId: a.user.id,
        action: locked ? 'thread.lock' : 'thread.unlock',
        targetType: 'comment',
        targetId: rootId,
        details: {},
        now,
      });
    });
    return { rootId, locked };
  }

  // ---- articles -------------------------------------------------------------------------------

  /** Closes (or reopens, with null) an article's comments; the article's own policy returns with null. */
  async setArticlePolicy(actor: Actor | null, articleId: number, policy: CommentPolicy | null): Promise<{ articleId: number; policy: CommentPolicy }> {
    const a = this.moderator(actor);
    const article = await this.store.articles.byId(articleId);
    if (!article) throw notFound('article_not_found', messages.errors.article_not_found);
    await this.commit(async (tx, _track, now) => {
      await tx.articles.setPolicyOverride(articleId, policy);
      await tx.moderation.audit({
        actorId: a.user.id,
        action: 'article.policy',
        targetType: 'article',
        targetId: articleId,
        details: { from: article.commentPolicy, to: policy },
        now,
      });
    });
    return { articleId, policy: (await this.store.articles.byId(articleId))!.commentPolicy };
  }

  async articleSettings(actor: Actor | null, articleId: number): Promise<ArticleModeration> {
    this.admin(actor);
    if (!(await this.store.articles.byId(articleId))) throw notFound('article_not_found', messages.errors.article_not_found);
    return this.rules.article(articleId);
  }

  async saveArticleSettings(actor: Actor | null, articleId: number, next: ArticleModeration): Promise<ArticleModeration> {
    const a = this.admin(actor);
    if (!(await this.store.articles.byId(articleId))) throw notFound('article_not_found', messages.errors.article_not_found);
    return this.commit(async (tx, _track, now) => {
      const saved = await this.rules.saveArticle(articleId, next, tx);
      await tx.moderation.audit({ actorId: a.user.id, action: 'article.moderation', targetType: 'article', targetId: articleId, details: { ...saved }, now });
      return saved;
    });
  }

  // ---- accounts -------------------------------------------------------------------------------

  async suspend(actor: Actor | null, userId: number, hours: number, reason: string): Promise<{ userId: number; suspendedUntil: string }> {
    const a = this.moderator(actor);
    const user = await this.targetUser(a, userId);
    const until = new Date(this.clock.now().getTime() + hours * 3_600_000);
    await this.commit(async (tx, _track, now) => {
      await tx.users.setSuspension(user.id, until);
      await tx.moderation.audit({
        actorId: a.user.id,
        action: 'user.suspend',
        targetType: 'user',
        targetId: user.id,
        details: { hours, until: until.toISOString(), reason: reason.trim().slice(0, 500) },
        now,
      });
    });
    return { userId: user.id, suspendedUntil: until.toISOString() };
  }

  async unsuspend(actor: Actor | null, userId: number): Promise<{ userId: number }> {
    const a = this.moderator(actor);
    const user = await this.targetUser(a, userId);
    await this.commit(async (tx, _track, now) => {
      await tx.users.setSuspension(user.id, null);
      await tx.moderation.audit({ actorId: a.user.id, action: 'user.unsuspend', targetType: 'user', targetId: user.id, details: {}, now });
    });
    return { userId: user.id };
  }

  async ban(actor: Actor | null, userId: number, banned: boolean, reason: string): Promise<{ userId: number; banned: boolean }> {
    const a = this.moderator(actor);
    const user = await this.targetUser(a, userId);
    await this.commit(async (tx, _track, now) => {
      await tx.users.setBanned(user.id, banned);
      // A ban ends every session of the account at once, not when each one expires.
      if (banned) await tx.users.deleteSessionsOf(user.id);
      // What a banned reader left waiting would only be rejected one by one: it goes at once.
      const held = banned ? await tx.comments.rejectHeldBy(user.id, a.user.id, 'author_banned', now) : [];
      if (held.length) await tx.moderation.resolveReports(held, a.user.id, now);
      await tx.moderation.audit({
        actorId: a.user.id,
        action: banned ? 'user.ban' : 'user.unban',
        targetType: 'user',
        targetId: user.id,
        details: { reason: reason.trim().slice(0, 500), ...(held.length ? { rejectedHeld: held.length } : {}) },
        now,
      });
    });
    return { userId: user.id, banned };
  }

  /** Admins change roles (domain/permissions.ts: roleChangeBlock); the dashboard form comes here too. */
  async setRole(actor: Actor | null, userId: number, role: Role): Promise<{ userId: number; role: Role }> {
    const a = this.admin(actor);
    const user = await this.store.users.byId(userId);
    if (!user) throw notFound('user_not_found', messages.errors.user_not_found);
    await this.changeRole(user, role, a);
    return { userId: user.id, role };
  }

  /** From the command line, which needs no signed-in admin: it is how the first one is made. */
  async setRoleByEmail(email: string, role: Role, displayName: string): Promise<User> {
    const user = await this.store.users.ensure(email, displayName, this.clock.now());
    await this.changeRole(user, role, null);
    return (await this.store.users.byId(user.id))!;
  }

  /** `actor` null: the command line, where only the rule that the site keeps an admin applies. */
  private async changeRole(user: User, role: Role, actor: Actor | null): Promise<void> {
    await this.commit(async (tx, _track, now) => {
      const admins = await tx.users.countAdmins();
      enforce(actor ? roleChangeBlock(actor, user, role, admins, now) : keepsAnAdmin(user, role, admins));
      if (user.role === role) return;
      await tx.users.setRole(user.id, role);
      await tx.moderation.audit({
        actorId: actor?.user.id ?? null,
        action: 'user.role',
        targetType: 'user',
        targetId: user.id,
        details: { from: user.role, to: role },
        now,
      });
    });
  }

  async staff(actor: Actor | null): Promise<User[]> {
    this.admin(actor);
    return this.store.users.staff();
  }

  async userByEmail(actor: Actor | null, email: string): Promise<User> {
    this.admin(actor);
    const u = await this.store.users.byEmail(email);
    if (!u) throw notFound('user_not_found', messages.errors.user_not_found);
    return u;
  }

  // ---- settings and the audit log (admins) ------------------------------------------------------

  async settings(actor: Actor | null): Promise<ModerationSettings> {
    this.admin(actor);
    return this.rules.site();
  }

  async saveSettings(actor: Actor | null, next: ModerationSettings): Promise<ModerationSettings> {
    const a = this.admin(actor);
    const before = await this.rules.site();
    return this.commit(async (tx, _track, now) => {
      const saved = await this.rules.saveSite(next, tx);
      const changed = Object.fromEntries(Object.entries(saved).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof ModerationSettings])));
      await tx.moderation.audit({ actorId: a.user.id, action: 'settings.update', targetType: 'settings', targetId: null, details: changed, now });
      return saved;
    });
  }

  async auditLog(actor: Actor | null, cursor?: string): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    this.admin(actor);
    const before = cursor ? Number(cursor) : null;
    if (before !== null && !Number.isSafeInteger(before)) throw badRequest('bad_cursor', messages.errors.bad_cursor);
    const rows = await this.store.moderation.auditLog(before, AUDIT_PAGE + 1);
    const page = rows.slice(0, AUDIT_PAGE);
    return { entries: page.map(toEntry), nextCursor: rows.length > AUDIT_PAGE ? String(page.at(-1)!.id) : null };
  }
}

const toEntry = ({ createdAt, ...r }: AuditRecord): AuditEntry => ({ ...r, at: createdAt.toISOString() });
