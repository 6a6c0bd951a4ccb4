import type { LiveEventData } from '../domain/views.js';
import type { EventBus, Wakeup } from '../events/bus.js';
import type { DiscussionEventType, Store } from '../store/store.js';
import type { Discussions } from './discussion.js';

/**
 * One event for live clients: its id and type, and its `data` (the comment as an anonymous reader
 * sees it now; the widget adds the viewer's own rights).
 */
export interface LiveEvent extends LiveEventData {
  id: number;
  /** `comment.hidden`: a comment readers could see left their view (moderation); drop it. */
  type: DiscussionEventType | 'comment.hidden';
}

export interface LiveListener {
  lastId: number;
  send(events: LiveEvent[]): void;
  /** Too much was missed to replay: the client should reload the discussion. */
  reset(): void;
}

const CATCH_UP_LIMIT = 500;
/** How often the events log is read for every watched article while the bus is not healthy. */
const DEGRADED_POLL_MS = 1000;
/** Every fifth poll tick (5 s) the log is read for every watched article, bus healthy or not. */
const SWEEP_EVERY_TICKS = 5;

/**
 * Fans discussion events out to live listeners on this node. One wake-up costs one read of the
 * events log per article, shared by all its listeners, however many there are.
 */
export class LiveHub {
  private readonly byArticle = new Map<number, Set<LiveListener>>();
  private readonly pending = new Map<number, Promise<void>>();
  /**
   * Listeners whose join has not finished its catch-up: reads of the log pass them by, or they
   * would get events past a gap before being told to reload. The flag: a read passed one by, so
   * its join ends with a read of its own.
   */
  private readonly joining = new Map<LiveListener, boolean>();
  private readonly unsubscribe: () => void;
  private readonly poll: NodeJS.Timeout;
  private degraded = false;
  private ticks = 0;

  constructor(
    private readonly store: Pick<Store, 'articles' | 'events'>,
    private readonly discussions: Discussions,
    private readonly bus: EventBus,
  ) {
    this.unsubscribe = bus.subscribe((w) => this.wake(w));
    this.poll = setInterval(() => this.pollWhileDegraded(), DEGRADED_POLL_MS);
    this.poll.unref();
  }

  /**
   * While wake-ups cannot cross nodes, readers would silently fall behind: read the log for every
   * watched article instead, and once more when the bus is back, for what happened between the
   * last poll and the reconnect.
   */
  private pollWhileDegraded(): void {
    const healthy = this.bus.healthy?.() ?? true;
    // Even a healthy bus can lose a wake-up (a publish that failed after its commit); a slow
    // sweep bounds how long any reader can stay behind.
    if (++this.ticks % SWEEP_EVERY_TICKS === 0)
      for (const articleId of this.byArticle.keys()) if (!this.pending.has(articleId)) this.wake({ articleId, eventId: 0 });
    if (healthy && !this.degraded) return;
    const catchUp = healthy;
    this.degraded = !healthy;
    // Polls skip an article still being read, so they cannot pile up behind a slow database;
    // the catch-up read queues behind it, as it must start after the bus is back.
    for (const articleId of this.byArticle.keys()) if (catchUp || !this.pending.has(articleId)) this.wake({ articleId, eventId: 0 });
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.byArticle.values()) n += set.size;
    return n;
  }

  /** Registers a listener and replays what it missed since `lastId` (0: start from now). */
  async join(articleId: number, listener: LiveListener): Promise<() => void> {
    const last = await this.store.events.lastId(articleId);
    if (listener.lastId === 0) listener.lastId = last;
    let set = this.byArticle.get(articleId);
    if (!set) this.byArticle.set(articleId, (set = new Set()));
    this.joining.set(listener, false);
    set.add(listener);
    const leave = () => {
      set!.delete(listener);
      if (set!.size === 0 && this.byArticle.get(articleId) === set) this.byArticle.delete(articleId);
    };
    try {
      const missed = await this.store.events.since(articleId, listener.lastId, CATCH_UP_LIMIT + 1);
      // Events the client has not seen were pruned (retention): replaying the rest would skip
      // them silently, so the client reloads instead.
      let gap = false;
      if (listener.lastId < last && (missed.length === 0 || missed[0]!.id > listener.lastId + 1)) {
        // Pruning removes the oldest events first: something after lastId went only if the oldest kept is beyond it.
        const oldest = await this.store.events.oldestId(articleId);
        gap = oldest === null || oldest > listener.lastId + 1;
      }
      if (missed.length > CATCH_UP_LIMIT || gap) {
        listener.reset();
        // The reloaded discussion shows everything up to now: only later events are news to it.
        listener.lastId = Math.max(listener.lastId, last);
      } else if (missed.length > 0) this.deliver(articleId, await this.hydrate(articleId, missed), [listener]);
    } catch (err) {
      leave();
      throw err;
    } finally {
      const passedBy = this.joining.get(listener);
      this.joining.delete(listener);
      if (passedBy) this.wake({ articleId, eventId: 0 });
    }
    return leave;
  }

  private wake(w: Wakeup): void {
    if (!this.byArticle.has(w.articleId)) return;
    // Wake-ups that arrive while a read is running fold into one follow-up read.
    const prev = this.pending.get(w.articleId) ?? Promise.resolve();
    const next = prev.then(() => this.flush(w.articleId)).catch(() => {});
    this.pending.set(w.articleId, next);
    void next.finally(() => {
      if (this.pending.get(w.articleId) === next) this.pending.delete(w.articleId);
    });
  }

  private async flush(articleId: number): Promise<void> {
    const listeners = [...(this.byArticle.get(articleId) ?? [])].filter((l) => {
      if (!this.joining.has(l)) return true;
      this.joining.set(l, true);
      return false;
    });
    if (listeners.length === 0) return;
    const from = Math.min(...listeners.map((l) => l.lastId));
    const events = await this.store.events.since(articleId, from, CATCH_UP_LIMIT);
    if (events.length === 0) return;
    this.deliver(articleId, await this.hydrate(articleId, events), listeners);
  }

  private async hydrate(articleId: number, events: { id: number; type: DiscussionEventType; commentId: number }[]): Promise<LiveEvent[]> {
    const views = await this.discussions.publicViews([...new Set(events.map((e) => e.commentId))]);
    const count = (await this.store.articles.byId(articleId))?.commentCount ?? 0;
    return events.flatMap((e): LiveEvent[] => {
      const comment = views.get(e.commentId);
      if (comment) return [{ id: e.id, type: e.type, comment, commentCount: count }];
      // A new comment held for moderation was never shown: say nothing, not even its id.
      return e.type === 'comment.created' ? [] : [{ id: e.id, type: 'comment.hidden', comment: { id: e.commentId }, commentCount: count }];
    });
  }

  private deliver(_articleId: number, events: LiveEvent[], listeners: LiveListener[]): void {
    for (const l of listeners) {
      const fresh = events.filter((e) => e.id > l.lastId);
      if (fresh.length === 0) continue;
      l.lastId = fresh.at(-1)!.id;
      l.send(fresh);
    }
  }

  close(): void {
    clearInterval(this.poll);
    this.unsubscribe();
    this.byArticle.clear();
  }
}
