import type { EventBus } from '../events/bus.js';

/**
 * What anonymous readers see of a discussion page is the same for all of them until something
 * happens under that article, so it is computed once and dropped on the article's next event.
 * Every node hears every event through the bus, so no node serves a page older than the last
 * event it received.
 *
 * Readers asking for a page being computed wait for that computation instead of starting their
 * own (one render per event, however many readers arrive meanwhile) — but only for one started
 * after the article's last event: a computation that began before it may miss what it announced.
 */
export class PageCache<T> {
  private static readonly tally = { hits: 0, misses: 0 };
  /** Pages served without computing them (cached, or joining a computation under way) and pages computed, process-wide (for /metrics). */
  static get stats(): { readonly hits: number; readonly misses: number } {
    return PageCache.tally;
  }

  private readonly entries = new Map<string, { articleId: number; value: T; at: number }>();
  private readonly inflight = new Map<string, { gen: number; value: Promise<T> }>();
  /** Bumped by each event, so a page computed across an event is not kept. */
  private readonly generation = new Map<number, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly max = 2000,
    // A ceiling on staleness for writes no event announces (an import run from the command line).
    private readonly maxAgeMs = 60_000,
  ) {
    this.unsubscribe = bus.subscribe((w) => this.invalidate(w.articleId));
  }

  async get(articleId: number, key: string, compute: () => Promise<T>): Promise<T> {
    // While the bus is down, other nodes' writes announce nothing here: a cached page could be
    // a minute behind, so pages are computed afresh until wake-ups flow again.
    if (!(this.bus.healthy?.() ?? true)) {
      this.entries.clear();
      PageCache.tally.misses++;
      return compute();
    }
    const full = `${articleId}:${key}`;
    const hit = this.entries.get(full);
    if (hit && Date.now() - hit.at < this.maxAgeMs) {
      // Refresh recency: Map iteration order is insertion order, so this keeps LRU order.
      this.entries.delete(full);
      this.entries.set(full, hit);
      PageCache.tally.hits++;
      return hit.value;
    }
    const gen = this.generation.get(articleId) ?? 0;
    const running = this.inflight.get(full);
    if (running && running.gen === gen) {
      PageCache.tally.hits++;
      return running.value;
    }
    PageCache.tally.misses++;
    const value = compute();
    this.inflight.set(full, { gen, value });
    try {
      const v = await value;
      if ((this.generation.get(articleId) ?? 0) === gen) {
        this.entries.set(full, { articleId, value: v, at: Date.now() });
        if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
      }
      return v;
    } finally {
      if (this.inflight.get(full)?.value === value) this.inflight.delete(full);
    }
  }

  invalidate(articleId: number): void {
    this.generation.set(articleId, (this.generation.get(articleId) ?? 0) + 1);
    for (const [k, e] of this.entries) if (e.articleId === articleId) this.entries.delete(k);
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
