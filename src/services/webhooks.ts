import { createHmac, randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { commentView } from '../domain/comment-view.js';
import type { Comment } from '../domain/types.js';
import { WEBHOOK_KIND_PREFIX, webhookKey, webhookPayload, type WebhookEventType } from '../domain/webhooks.js';
import type { OutboxRow, Store } from '../store/store.js';

/** A receiver that has not answered by then has failed this attempt; the outbox retries it. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

type WebhookConfig = Pick<Config, 'WEBHOOK_URLS' | 'WEBHOOK_SECRET' | 'baseUrl'>;

export const webhookUrls = (config: Pick<Config, 'WEBHOOK_URLS'>): string[] =>
  config.WEBHOOK_URLS.split(',')
    .map((u) => u.trim())
    .filter(Boolean);

/**
 * Queues webhooks in the transaction of the change they announce, one outbox row per receiver:
 * a change that rolls back announces nothing, and one that commits is announced even if the
 * process dies the next moment. The body is fixed now, so every attempt carries the same event.
 */
export class WebhookOutbox {
  private readonly urls: string[];

  constructor(private readonly config: WebhookConfig) {
    this.urls = webhookUrls(config);
  }

  get enabled(): boolean {
    return this.urls.length > 0;
  }

  async enqueue(tx: Pick<Store, 'articles' | 'notifications'>, type: WebhookEventType, comment: Comment, now: Date): Promise<void> {
    if (!this.enabled) return;
    const article = await tx.articles.byId(comment.articleId);
    if (!article) return;
    // The public view: no reader, so no vote of theirs and no rights.
    const body = JSON.stringify(webhookPayload(type, now, commentView(comment, null, 0, now, 0), article, this.config.baseUrl));
    const webhookId = `msg_${randomUUID().replaceAll('-', '')}`;
    for (const url of this.urls) {
      await tx.notifications.enqueueWebhook({ kind: `${WEBHOOK_KIND_PREFIX}${type}`, url, webhookId, commentId: comment.id, payload: body, now });
    }
  }
}

/** The Standard Webhooks signature: HMAC-SHA256 of `id.timestamp.body` with the secret's bytes, in base64. */
export function webhookSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A receiver's address as logs may show it: no credentials, path or query, which can hold tokens. */
export const receiverForLog = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
};

/** Posts one queued webhook, signed; throws unless the receiver answered 2xx in time. */
export class WebhookSender {
  private readonly key: Buffer | null;
  private readonly urls: Set<string>;

  constructor(
    config: Pick<Config, 'WEBHOOK_SECRET' | 'WEBHOOK_URLS'>,
    private readonly now: () => Date,
  ) {
    this.key = webhookKey(config.WEBHOOK_SECRET);
    this.urls = new Set(webhookUrls(config));
  }

  /** Whether `url` is still a receiver: one taken out of WEBHOOK_URLS gets nothing more, queued or not. */
  posts(url: string): boolean {
    return this.key !== null && this.urls.has(url);
  }

  /** The id receivers deduplicate on: the same for every attempt and every receiver of one event. */
  static idOf(row: Pick<OutboxRow, 'dedupe_key'>): string {
    return row.dedupe_key.split(' ', 1)[0]!;
  }

  async send(row: OutboxRow): Promise<void> {
    if (!this.key) throw new Error('WEBHOOK_SECRET is not set');
    if (row.payload === null) throw new Error('webhook row without a body');
    const id = WebhookSender.idOf(row);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const res = await fetch(row.recipient, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Parley-Webhooks',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(this.key, id, timestamp, row.payload),
      },
      body: row.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // The answer's body is of no use; reading it frees the connection.
    await res.arrayBuffer().catch(() => {});
    if (res.status < 200 || res.status > 299) throw new Error(`receiver answered ${res.status}`);
  }
}
