import { eventOf } from '../domain/discussion-events.js';
import { webhookEventOf, type WebhookEventType } from '../domain/webhooks.js';
import type { Comment } from '../domain/types.js';
import type { EventBus, Wakeup } from '../events/bus.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { WebhookOutbox } from './webhooks.js';

/** What a change tells the path about the comments it touches, before it touches them. */
export interface ChangeTracker {
  /** Records the comment as it is now (inside the transaction), to compare with after the change. */
  touch(commentId: number): Promise<void>;
  /** A comment this change created; `as`, when given, is how it stands at the end of the change. */
  created(commentId: number, as?: Comment): void;
  /** A reader reported the comment: no change readers see, but the publisher's webhooks hear of it. */
  reported(commentId: number): void;
}

type ChangeStore = Pick<Store, 'transaction' | 'grouped'>;

/**
 * The one path by which a discussion changes: posting, editing, voting, moderation and account
 * deletion all go through `run`. It commits the write and its events in one transaction, with
 * each event derived from the touched comment's state before and after (domain/discussion-events),
 * appended under its article's lock so ids follow commit order; then this node's caches forget
 * the article at once, and the bus wakes every node's live readers and caches. Outbound webhooks
 * are queued in the same transaction, from the same before and after (domain/webhooks).
 */
export class DiscussionChanges {
  private readonly committed: ((articleId: number, lastEventId?: number) => void)[] = [];

  constructor(private readonly d: { store: ChangeStore; bus: EventBus; clock: Clock; webhooks?: WebhookOutbox }) {}

  /** Caches of this node that must forget an article the moment a change to it commits. */
  onCommitted(fn: (articleId: number, lastEventId?: number) => void): void {
    this.committed.push(fn);
  }

  /**
   * Runs `fn` as one change. With `articleId`, that article is locked first, so two changes to one
   * discussion never wait on each other's rows in opposite orders. `grouped` lets the change share
   * its transaction with others to the same article that arrive meanwhile (store.grouped): many
   * posts then take the article's lock once and commit with one fsync; it settles after the commit.
   * `author`: whose posting lock the change will take (idempotency.lockAuthorPosts), taken up
   * front with its batch's others.
   */
  async run<T>(fn: (tx: Store, track: ChangeTracker) => Promise<T>, opts: { articleId?: number; grouped?: boolean; author?: number } = {}): Promise<T> {
    const grouped = opts.grouped === true && opts.articleId !== undefined;
    const change = async (tx: Store) => {
      // A shared transaction has locked the article before its first change.
      if (opts.articleId !== undefined && !grouped) await tx.articles.lock(opts.articleId);
      const before = new Map<number, Comment | null>();
      const after = new Map<number, Comment>();
      const reports: number[] = [];
      const track: ChangeTracker = {
        async touch(id) {
          if (!before.has(id)) before.set(id, await tx.comments.byId(id));
        },
        created(id, as) {
          if (!before.has(id)) before.set(id, null);
          if (as) after.set(id, as);
        },
        reported(id) {
          reports.push(id);
        },
      };
      const result = await fn(tx, track);
      const now = this.d.clock.now();
      const events: { articleId: number; type: NonNullable<ReturnType<typeof eventOf>>; commentId: number }[] = [];
      const hooks: { type: WebhookEventType; comment: Comment }[] = [];
      const hooked = this.d.webhooks?.enabled === true;
      for (const id of hooked ? reports : []) {
        const c = await tx.comments.byId(id);
        if (c) hooks.push({ type: 'comment.reported', comment: c });
      }
      for (const [id, was] of before) {
        const is = after.get(id) ?? (await tx.comments.byId(id));
        const type = eventOf(was, is);
        const articleId = (is ?? was)?.articleId;
        if (type && articleId !== undefined) events.push({ articleId, type, commentId: id });
        const hook = webhookEventOf(was, is);
        // A row gone altogether is announced as deleted, with nothing of what it said.
        const shown = is ?? (was && { ...was, status: 'deleted' as const });
        if (hook && shown) hooks.push({ type: hook, comment: shown });
      }
      if (hooked) for (const h of hooks) await this.d.webhooks!.enqueue(tx, h.type, h.comment, now);
      // Article order (stable within one article): two changes lock article rows in the same order, never in a cycle.
      events.sort((x, y) => x.articleId - y.articleId);
      // A shared transaction appends its changes' events together before it commits (store.grouped).
      const appended: { readonly articleId: number; id: number }[] = [];
      for (const e of events)
        appended.push(
          grouped
            ? tx.events.later(e.articleId, e.type, e.commentId, now)
            : { articleId: e.articleId, id: await tx.events.append(e.articleId, e.type, e.commentId, now) },
        );
      return { result, appended };
    };
    const { result, appended } = grouped ? await this.d.store.grouped(opts.articleId!, change, opts.author) : await this.d.store.transaction(change);
    const wakeups: Wakeup[] = appended.map((e) => ({ articleId: e.articleId, eventId: e.id }));
    // Each article with the last event this change appended to it, if any.
    const articles = new Map<number, number | undefined>();
    if (opts.articleId !== undefined) articles.set(opts.articleId, undefined);
    for (const w of wakeups) articles.set(w.articleId, Math.max(articles.get(w.articleId) ?? 0, w.eventId));
    for (const [a, last] of articles) for (const forget of this.committed) forget(a, last);
    // The answer need not wait for the wake-ups: a lost one only delays live readers, whose hub
    // also sweeps the events log on its own.
    for (const w of wakeups) void this.d.bus.publish(w).catch(() => {});
    return result;
  }
}
