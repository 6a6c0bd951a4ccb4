import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { subscriptionState } from '../domain/billing.js';
import { AppError, badRequest, conflict, unauthorized } from '../domain/errors.js';
import type { Actor } from '../domain/permissions.js';
import type { User } from '../domain/types.js';
import type { DiscussionChanges } from './discussion-changes.js';
import { emailChangeMail } from '../mail/account.js';
import type { Mailer } from '../mail/mailer.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import type { Accounts } from './accounts.js';
import type { Clock } from './clock.js';

const EMAIL_CHANGE_MS = 24 * 3600_000;
const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** 1 to 60 characters after trimming, no line breaks or control characters (they would break layouts and mails). */
export function cleanDisplayName(raw: string): string {
  const name = raw
    .normalize('NFC')
    .replace(/[^\S\r\n\u2028\u2029]+/gu, ' ')
    .trim();
  const length = [...name].length;
  // ZWJ is allowed: it holds emoji sequences together. Other format characters (bidi overrides) are not.
  if (length < 1 || length > 60 || /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(name.replace(/\u200d/gu, ''))) {
    throw badRequest('display_name_invalid', messages.errors.display_name_invalid);
  }
  return name;
}

export interface AccountExport {
  exportedAt: string;
  profile: { id: number; email: string; displayName: string; role: string; createdAt: string; notifications: { replies: boolean; digest: string } };
  entitlements: { source: string; status: string; currentPeriodEnd: string | null }[];
  comments: {
    id: number;
    article: { id: number; slug: string | null; title: string | null };
    parentId: number | null;
    status: string;
    createdAt: string;
    editedAt: string | null;
    body: string;
    revisions: { body: string; editorId: number; createdAt: string }[];
  }[];
  votes: { commentId: number; value: number; createdAt: string }[];
  follows: { articleId: number; email: string; confirmed: boolean; createdAt: string }[];
  reads: { articleId: number; month: string; createdAt: string }[];
}

interface Deps {
  store: Pick<Store, 'users' | 'articles' | 'comments' | 'votes' | 'notifications' | 'billing' | 'transaction'>;
  accounts: Accounts;
  mailer: Mailer;
  /** Erasing an account's comments changes discussions: through the one change path. */
  changes: DiscussionChanges;
  config: Pick<Config, 'baseUrl' | 'PUBLICATION_NAME'>;
  clock: Clock;
}

/** What readers do to their own account: name, email, sessions, export, deletion. */
export class AccountSettings {
  constructor(private readonly d: Deps) {}

  private me(actor: Actor | null): User {
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    return actor.user;
  }

  async rename(actor: Actor | null, raw: string): Promise<User> {
    const user = this.me(actor);
    const name = cleanDisplayName(raw);
    await this.d.store.users.setDisplayName(user.id, name);
    return { ...user, displayName: name };
  }

  /** Mails a confirmation link to the new address; nothing changes until it is opened. */
  async requestEmailChange(actor: Actor | null, email: string): Promise<void> {
    const user = this.me(actor);
    const to = email.trim().toLowerCase();
    if (to === user.email) throw badRequest('same_email', messages.errors.same_email);
    // Whether another account has the address is only said when the link is used, by its owner.
    const token = randomBytes(32).toString('base64url');
    const now = this.d.clock.now();
    await this.d.store.users.createEmailChange(hash(token), user.id, to, now, new Date(now.getTime() + EMAIL_CHANGE_MS));
    await this.d.mailer.send(emailChangeMail(to, `${this.d.config.baseUrl}/account/email/confirm?token=${token}`, this.d.config.PUBLICATION_NAME));
  }

  async confirmEmailChange(token: string): Promise<User> {
    const now = this.d.clock.now();
    return this.d.store.transaction(async (tx) => {
      const change = await tx.users.consumeEmailChange(hash(token), now);
      if (!change) throw badRequest('email_link_invalid', messages.errors.email_link_invalid);
      const other = await tx.users.byEmail(change.newEmail);
      if (other && other.id !== change.userId) throw conflict('email_taken', messages.errors.email_taken);
      await tx.users.setEmail(change.userId, change.newEmail);
      const user = await tx.users.byId(change.userId);
      if (!user) throw badRequest('email_link_invalid', messages.errors.email_link_invalid);
      return user;
    });
  }

  async signOutEverywhere(actor: Actor | null): Promise<void> {
    await this.d.store.users.deleteSessionsOf(this.me(actor).id);
  }

  /**
   * Removes the person from the account. Their comments stay under "[deleted user]" so threads
   * keep making sense, unless they ask for them to be erased too: then each becomes the same
   * placeholder a deleted comment leaves, and every stored revision of its text goes.
   */
  async deleteAccount(actor: Actor | null, eraseComments: boolean): Promise<void> {
    const user = this.me(actor);
    const now = this.d.clock.now();
    const state = subscriptionState(
      await this.d.store.billing.entitlementsOf(user.id).then((l) => l.filter((e) => e.source === 'stripe')),
      now,
      this.d.accounts.graceMs,
    );
    // Deleting the account would not stop Stripe charging the card.
    if (state.kind === 'active' || state.kind === 'payment_failed') throw new AppError(409, 'subscription_active', messages.errors.subscription_active);

    await this.d.changes.run(async (tx, track) => {
      if (eraseComments) {
        const mine = await tx.comments.byAuthor(user.id);
        for (const c of mine) {
          if (c.status === 'visible') {
            await track.touch(c.id);
            await tx.comments.delete(c, now);
          } else if (c.status !== 'deleted') {
            await tx.comments.eraseHidden(c.id);
          }
        }
        await tx.comments.eraseRevisions(mine.map((c) => c.id));
      }
      await tx.users.anonymise(user.id, messages.account.deletedUser, `deleted-${user.id}@deleted.invalid`);
    });
  }

  /** Everything stored about the reader, as they could take it elsewhere. */
  async exportData(actor: Actor | null): Promise<AccountExport> {
    const user = this.me(actor);
    const s = this.d.store;
    const [prefs, entitlements, comments, votes, follows, reads] = await Promise.all([
      s.notifications.prefs(user.id),
      s.billing.entitlementsOf(user.id),
      s.comments.byAuthor(user.id),
      s.votes.byUser(user.id),
      s.notifications.followsOfUser(user.id, user.email),
      s.billing.readsOfUser(user.id),
    ]);
    const revisions = await s.comments.revisionsOfMany(comments.map((c) => c.id));
    const articles = new Map<number, { slug: string; title: string } | null>();
    for (const id of new Set(comments.map((c) => c.articleId))) articles.set(id, await s.articles.byId(id));
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      exportedAt: this.d.clock.now().toISOString(),
      profile: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        createdAt: user.createdAt.toISOString(),
        notifications: { replies: prefs.replies, digest: prefs.digest },
      },
      entitlements: entitlements.map((e) => ({ source: e.source, status: e.status, currentPeriodEnd: iso(e.currentPeriodEnd) })),
      comments: comments.map((c) => ({
        id: c.id,
        article: { id: c.articleId, slug: articles.get(c.articleId)?.slug ?? null, title: articles.get(c.articleId)?.title ?? null },
        parentId: c.parentId,
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        editedAt: iso(c.editedAt),
        body: c.bodySrc,
        revisions: (revisions.get(c.id) ?? []).map((r) => ({ body: r.bodySrc, editorId: r.editorId, createdAt: r.createdAt.toISOString() })),
      })),
      votes: votes.map((v) => ({ commentId: v.commentId, value: v.value, createdAt: v.createdAt.toISOString() })),
      follows: follows.map((f) => ({ articleId: f.articleId, email: f.email, confirmed: f.confirmed, createdAt: f.createdAt.toISOString() })),
      reads: reads.map((r) => ({ articleId: r.articleId, month: r.month, createdAt: r.createdAt.toISOString() })),
    };
  }
}
