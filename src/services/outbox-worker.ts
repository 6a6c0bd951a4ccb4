import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../domain/notify.js';
import { isSuspended } from '../domain/permissions.js';
import type { Mailer, OutgoingMail } from '../mail/mailer.js';
import { withLocale } from '../messages/scope.js';
import { articleLocale } from './article-locales.js';
import { commentMail, confirmFollowMail, digestMail, type NotifiedComment } from '../mail/templates.js';
import { plainTextExcerpt } from '../render/markdown.js';
import type { OutboxRow, Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Notifications } from './notifications.js';
import { receiverForLog, WebhookSender } from './webhooks.js';
import { WEBHOOK_KIND_PREFIX } from '../domain/webhooks.js';

const BATCH = 20;

/**
 * Delivers queued mail. A row is leased before sending and marked sent after; a crash in between
 * lets the lease lapse and the row is sent again with the same Message-ID, which is as close to
 * exactly-once as SMTP allows. Failures back off exponentially and give up after MAX_ATTEMPTS.
 * Webhook rows take the same path but are posted beside the mail: a slow receiver (up to its
 * 10 s timeout) does not hold the mail up.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly failed = { retry: 0, final: 0 };

  constructor(
    private readonly store: Pick<Store, 'users' | 'articles' | 'comments' | 'notifications' | 'transaction'>,
    private readonly mailer: Mailer,
    private readonly notifications: Notifications,
    private readonly config: Pick<Config, 'baseUrl' | 'PUBLICATION_NAME' | 'OUTBOX_LEASE_SECONDS' | 'OUTBOX_POLL_MS'>,
    private readonly clock: Clock,
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'error'>,
    private readonly webhooks: WebhookSender | null = null,
  ) {}

  /** Delivery attempts that failed since start: to be retried, or given up for good (for /metrics). */
  get failures(): { readonly retry: number; readonly final: number } {
    return { ...this.failed };
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      void this.runOnce()
        .catch((err: unknown) => this.log.error({ err }, 'outbox worker failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.config.OUTBOX_POLL_MS);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  /** Sends every due mail; returns how many rows it settled. Serialised within one process. */
  runOnce(): Promise<number> {
    const next = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.drain());
    this.running = next;
    return next;
  }

  private async drain(): Promise<number> {
    let settled = 0;
    for (;;) {
      const leaseMs = this.config.OUTBOX_LEASE_SECONDS * 1000;
      const rows = await this.store.transaction((tx) => tx.notifications.claimMail(this.clock.now(), leaseMs, BATCH));
      if (rows.length === 0) return settled;
      const groups = await this.groups(rows, leaseMs);
      const leased = new Set(groups.flat().map((r) => r.id));
      const isHook = (g: OutboxRow[]) => g[0]!.kind.startsWith(WEBHOOK_KIND_PREFIX);
      try {
        const mails = async () => {
          for (const group of groups.filter((g) => !isHook(g))) {
            if (this.stopped) break;
            settled += await this.deliver(group);
            for (const r of group) leased.delete(r.id);
          }
        };
        // One receiver's webhooks in queue order, so it hears of a comment's events as they happened
        // (retries aside); receivers side by side, so a slow one delays only itself.
        const byReceiver = new Map<string, OutboxRow[]>();
        for (const [row] of groups.filter(isHook)) byReceiver.set(row!.recipient, [...(byReceiver.get(row!.recipient) ?? []), row!]);
        const hooks = [...byReceiver.values()].map(async (rows) => {
          for (const row of rows) {
            if (this.stopped) break;
            settled += await this.post(row);
            leased.delete(row.id);
          }
        });
        await Promise.all([mails(), ...hooks]);
      } finally {
        // Stopping mid-batch (a deploy): hand back what this node claimed but did not send, so
        // another node sends it now instead of after the lease runs out.
        if (leased.size > 0)
          await this.store.notifications.releaseMail([...leased]).catch((err: unknown) => this.log.warn({ err }, 'could not release leased mails'));
      }
      if (this.stopped) return settled;
    }
  }

  /** One mail per row, except a reader's due digest items, which share one mail. */
  private async groups(rows: OutboxRow[], leaseMs: number): Promise<OutboxRow[][]> {
    const out: OutboxRow[][] = [];
    const digests = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      if (!r.kind.startsWith('digest:')) out.push([r]);
      else digests.set(r.recipient, [...(digests.get(r.recipient) ?? []), r]);
    }
    for (const [recipient, items] of digests) {
      const more = await this.store.transaction((tx) => tx.notifications.claimDigestSiblings(recipient, this.clock.now(), leaseMs));
      out.push([...items, ...more]);
    }
    return out;
  }

  private async deliver(rows: OutboxRow[]): Promise<number> {
    const first = rows[0]!;
    const now = () => this.clock.now();
    try {
      const mail = await this.compose(rows);
      if (!mail) {
        for (const r of rows) await this.store.notifications.finishMail(r.id, { status: 'skipped', now: now() });
        return rows.length;
      }
      const messageId = `<parley.${first.id}.${createHash('sha256').update(first.dedupe_key).digest('hex').slice(0, 16)}@${new URL(this.config.baseUrl).hostname}>`;
      await this.mailer.send({ ...mail, messageId });
      for (const r of rows) await this.store.notifications.finishMail(r.id, { status: 'sent', messageId, now: now() });
    } catch (err) {
      const failed = first.attempts >= MAX_ATTEMPTS;
      this.log.warn({ err, outboxId: first.id, attempts: first.attempts }, failed ? 'mail failed for good' : 'mail failed, will retry');
      await this.retryLater(rows, (err as Error).message);
    }
    return rows.length;
  }

  /** Backs off, or gives up after MAX_ATTEMPTS; a webhook keeps its id for the next attempt. */
  private async retryLater(rows: OutboxRow[], error: string, messageId?: string): Promise<void> {
    const now = this.clock.now();
    const attempts = rows[0]!.attempts;
    const failed = attempts >= MAX_ATTEMPTS;
    this.failed[failed ? 'final' : 'retry']++;
    for (const r of rows) {
      await this.store.notifications.finishMail(r.id, {
        status: failed ? 'failed' : 'pending',
        error,
        ...(messageId ? { messageId } : {}),
        retryAt: new Date(now.getTime() + retryDelayMs(attempts)),
        now,
      });
    }
  }

  /** Posts one webhook. A receiver no longer configured is skipped; the secret never reaches the log. */
  private async post(row: OutboxRow): Promise<number> {
    const id = WebhookSender.idOf(row);
    if (!this.webhooks?.posts(row.recipient)) {
      await this.store.notifications.finishMail(row.id, { status: 'skipped', messageId: id, now: this.clock.now() });
      return 1;
    }
    try {
      await this.webhooks.send(row);
      await this.store.notifications.finishMail(row.id, { status: 'sent', messageId: id, now: this.clock.now() });
    } catch (err) {
      const reason = (err as Error).message;
      this.log.warn(
        { outboxId: row.id, attempts: row.attempts, receiver: receiverForLog(row.recipient), reason },
        row.attempts >= MAX_ATTEMPTS ? 'webhook failed for good' : 'webhook failed, will retry',
      );
      await this.retryLater([row], reason, id);
    }
    return 1;
  }

  /** Builds the mail from the current state: a comment deleted or hidden since is not sent. */
  private async compose(rows: OutboxRow[]): Promise<OutgoingMail | null> {
    const first = rows[0]!;
    if (first.kind === 'confirm') {
      const follow = first.follow_id === null ? null : await this.store.notifications.followById(first.follow_id);
      if (!follow || follow.confirmed) return null;
      const article = await this.store.articles.byId(follow.articleId);
      if (!article) return null;
      const link = `${this.config.baseUrl}/follow/confirm?token=${follow.token}`;
      // A mail about one article speaks its language.
      return withLocale(articleLocale(this.store, article.id), () => confirmFollowMail(first.recipient, article.title, link));
    }
    if (first.user_id !== null) {
      const user = await this.store.users.byId(first.user_id);
      if (!user || isSuspended(user, this.clock.now())) return null;
    }
    const items: (NotifiedComment & { kind: string; followId: number | null; articleId: number })[] = [];
    for (const r of rows) {
      const c = r.comment_id === null ? null : await this.store.comments.byId(r.comment_id);
      const article = c ? await this.store.articles.byId(c.articleId) : null;
      if (!c || !article || c.status !== 'visible') continue;
      items.push({
        id: c.id,
        authorName: c.authorName,
        bodyHtml: c.bodyHtml,
        excerpt: plainTextExcerpt(c.bodySrc, 600),
        articleTitle: article.title,
        link: `${this.config.baseUrl}/articles/${article.slug}?comment=${c.id}#comment-${c.id}`,
        kind: r.kind.replace('digest:', ''),
        followId: r.follow_id,
        articleId: article.id,
      });
    }
    if (items.length === 0) return null;
    const item = items[0]!;
    const unsubscribe = await this.unsubscribeToken(item.kind, item.followId, first.user_id);
    if (!unsubscribe) return null;
    const url = this.notifications.unsubscribeUrl(unsubscribe);
    if (first.kind.startsWith('digest:')) return digestMail(first.recipient, items, url, this.config.PUBLICATION_NAME);
    const kind = item.kind === 'reply' || item.kind === 'mention' || item.kind === 'featured' ? item.kind : 'comment';
    return withLocale(articleLocale(this.store, item.articleId), () => commentMail(first.recipient, kind, item, url, this.config.PUBLICATION_NAME));
  }

  /** Article mails (new comments, editors' picks) unsubscribe from that article; reply and mention mails from reply notifications. */
  private async unsubscribeToken(kind: string, followId: number | null, userId: number | null): Promise<string | null> {
    if ((kind === 'comment' || kind === 'featured') && followId !== null) return (await this.store.notifications.followById(followId))?.token ?? null;
    return userId === null ? null : this.notifications.replyToken(userId);
  }
}
