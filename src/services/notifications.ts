import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { badRequest, notFound, unauthorized } from '../domain/errors.js';
import { followState, nextDigestAt, recipients, type Candidate } from '../domain/notify.js';
import type { Actor } from '../domain/permissions.js';
import { isSuspended } from '../domain/permissions.js';
import type { Participant } from '../domain/mentions.js';
import type { Comment, FollowState } from '../domain/types.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';

const token = (prefix: 'f' | 'u') => `${prefix}${randomBytes(24).toString('base64url')}`;

/** "Notify of": following articles, reply notifications, and queuing their mails. */
export class Notifications {
  constructor(
    private readonly store: Pick<Store, 'users' | 'articles' | 'comments' | 'notifications' | 'mutes' | 'transaction'>,
    private readonly config: Pick<Config, 'baseUrl' | 'DIGEST_HOUR_UTC'>,
    private readonly clock: Clock,
  ) {}

  /** Followers read per transaction and article (see followersIn). */
  private readonly followers = new WeakMap<Store, Map<number, ReturnType<Store['notifications']['articleFollowers']>>>();

  /**
   * Posts that share one transaction (group commit) read their article's followers once: the
   * posts take their turns under the article's lock, and nothing in posting changes who follows.
   */
  private followersIn(tx: Store, articleId: number, now: Date): ReturnType<Store['notifications']['articleFollowers']> {
    let ofTx = this.followers.get(tx);
    if (!ofTx) this.followers.set(tx, (ofTx = new Map()));
    let read = ofTx.get(articleId);
    if (!read) ofTx.set(articleId, (read = tx.notifications.articleFollowers(articleId, now)));
    return read;
  }

  /** Runs inside the new comment's transaction, so its mails are queued if and only if it exists. */
  readonly onCommentCreated = async (
    tx: Store,
    c: Comment,
    about?: { mentioned: readonly Participant[]; author?: { id: number; email: string } },
  ): Promise<void> => {
    if (c.status !== 'visible') return;
    const now = this.clock.now();
    const author = about?.author ?? (await tx.users.byId(c.authorId))!;
    const candidates: Candidate[] = [];
    // Readers named with `@` hear of it as they would of a reply (their reply setting decides),
    // unless they muted the author. The post that names them is limited like any reply.
    const named = about?.mentioned.filter((p) => p.userId !== c.authorId) ?? [];
    const muters = await tx.mutes.mutersAmong(
      c.authorId,
      named.map((p) => p.userId),
    );
    for (const u of await tx.users.byIds(named.filter((p) => !muters.has(p.userId)).map((p) => p.userId))) {
      const prefs = await tx.notifications.prefs(u.id);
      if (prefs.replies)
        candidates.push({ email: u.email, userId: u.id, kind: 'mention', followId: null, suspended: isSuspended(u, now), digest: prefs.digest });
    }
    if (c.parentId !== null) {
      const parent = await tx.comments.byId(c.parentId);
      const parentAuthor = parent && parent.status === 'visible' ? await tx.users.byId(parent.authorId) : null;
      if (parentAuthor) {
        const prefs = await tx.notifications.prefs(parentAuthor.id);
        if (prefs.replies) {
          candidates.push({
            email: parentAuthor.email,
            userId: parentAuthor.id,
            kind: 'reply',
            followId: null,
            suspended: isSuspended(parentAuthor, now),
            digest: prefs.digest,
          });
        }
      }
    }
    for (const f of await this.followersIn(tx, c.articleId, now)) {
      candidates.push({
        email: f.email,
        userId: f.userId,
        kind: 'comment',
        followId: f.followId,
        suspended: f.suspended,
        digest: f.digest === 'daily' ? 'daily' : 'instant',
      });
    }
    for (const r of recipients(author.id, author.email, candidates)) {
      const daily = r.digest === 'daily';
      await tx.notifications.enqueueMail({
        kind: daily ? `digest:${r.kind}` : r.kind,
        recipient: r.email,
        userId: r.userId,
        commentId: c.id,
        followId: r.followId,
        dedupeKey: `c${c.id}:${r.email}`,
        dueAt: daily ? nextDigestAt(now, this.config.DIGEST_HOUR_UTC) : now,
        now,
      });
    }
  };

  /**
   * Runs inside the featuring's transaction: followers of the article who asked for editors' picks
   * get a mail, once per comment (featuring it again sends nothing new).
   */
  readonly onCommentFeatured = async (tx: Store, c: Comment): Promise<void> => {
    if (c.status !== 'visible') return;
    const now = this.clock.now();
    const author = (await tx.users.byId(c.authorId))!;
    const candidates: Candidate[] = (await tx.notifications.articleFollowers(c.articleId, now, { featured: true })).map((f) => ({
      email: f.email,
      userId: f.userId,
      kind: 'featured',
      followId: f.followId,
      suspended: f.suspended,
      // A pick is news once; it does not wait for the next day's digest.
      digest: 'instant',
    }));
    for (const r of recipients(author.id, author.email, candidates)) {
      await tx.notifications.enqueueMail({
        kind: 'featured',
        recipient: r.email,
        userId: r.userId,
        commentId: c.id,
        followId: r.followId,
        dedupeKey: `f${c.id}:${r.email}`,
        dueAt: now,
        now,
      });
    }
  };

  async state(actor: Actor | null, articleId: number): Promise<FollowState | null> {
    if (!actor) return null;
    return followState(await this.store.notifications.readerFollow(actor.user.id, articleId));
  }

  /**
   * A signed-in reader's address is already proven, so their follow needs no confirmation.
   * `featured`: whether the follow also mails editors' picks (off unless asked for).
   */
  async setFollow(actor: Actor | null, articleId: number, on: boolean, featured?: boolean): Promise<FollowState> {
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    await this.requireArticle(articleId);
    const now = this.clock.now();
    if (on) {
      const f = await this.store.notifications.putFollow({
        articleId,
        email: actor.user.email,
        userId: actor.user.id,
        confirmed: true,
        token: token('f'),
        now,
      });
      if (featured !== undefined) await this.store.notifications.setFollowFeatured(f.id, featured);
    } else {
      const f = await this.store.notifications.followOf(articleId, actor.user.email);
      if (f) await this.store.notifications.deleteFollow(f.id);
    }
    return (await this.state(actor, articleId))!;
  }

  /** A reader's account-wide settings: reply mails, and one mail per comment or a daily digest. */
  async prefsOf(actor: Actor): Promise<{ replies: boolean; digest: 'instant' | 'daily' }> {
    const p = await this.store.notifications.prefs(actor.user.id);
    return { replies: p.replies, digest: p.digest };
  }

  async setPrefs(actor: Actor | null, p: { replies?: boolean; digest?: 'instant' | 'daily' }): Promise<void> {
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    await this.store.notifications.setPrefs(actor.user.id, p);
  }

  /**
   * A guest follows by email with double opt-in: nothing but the confirmation is ever sent to an
   * address until its owner clicks. The answer is the same whether or not it already follows.
   */
  async guestFollow(email: string, articleId: number): Promise<void> {
    await this.requireArticle(articleId);
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const f = await tx.notifications.putFollow({ articleId, email, userId: null, confirmed: false, token: token('f'), now });
      if (f.confirmed) return;
      await tx.notifications.enqueueMail({
        kind: 'confirm',
        recipient: f.email,
        userId: null,
        commentId: null,
        followId: f.id,
        dedupeKey: `confirm${f.id}:${Math.floor(now.getTime() / 3600_000)}`,
        dueAt: now,
        now,
      });
    });
  }

  async confirm(tok: string): Promise<string> {
    const f = tok.startsWith('f') ? await this.store.notifications.followByToken(tok) : null;
    if (!f) throw badRequest('token_invalid', messages.notify.invalidToken);
    await this.store.notifications.confirmFollow(f.id);
    return (await this.requireArticle(f.articleId)).title;
  }

  /** One-click unsubscribe: works from the link alone, no sign-in. */
  async unsubscribe(tok: string): Promise<void> {
    if (tok.startsWith('f')) {
      const f = await this.store.notifications.followByToken(tok);
      if (!f) throw badRequest('token_invalid', messages.notify.invalidToken);
      await this.store.notifications.deleteFollow(f.id);
      return;
    }
    const user = tok.startsWith('u') ? await this.store.notifications.userByNotifyToken(tok) : null;
    if (!user) throw badRequest('token_invalid', messages.notify.invalidToken);
    await this.store.notifications.setPrefs(user.id, { replies: false });
  }

  /** The reader's reply-notification token, made on first use. */
  async replyToken(userId: number): Promise<string> {
    const prefs = await this.store.notifications.prefs(userId);
    if (prefs.token) return prefs.token;
    const t = token('u');
    await this.store.notifications.setPrefs(userId, { token: t });
    return t;
  }

  unsubscribeUrl(tok: string): string {
    return `${this.config.baseUrl}/unsubscribe?token=${tok}`;
  }

  private async requireArticle(id: number) {
    const a = await this.store.articles.byId(id);
    if (!a) throw notFound('article_not_found', messages.errors.article_not_found);
    return a;
  }
}
