import type { EventBus } from '../events/bus.js';

/**
 * What anonymous readers see of a discussion page is the same for all of them until something
 * happens under that article, so it is computed once and dropped on the article's next event.
 * Every node hears every event through the bus, so no node serves a page older than the last
 * event it received.
 */
export class PageCache<T> {
  private readonly entries = new Map<string, { articleId: number; value: T; at: number }>();
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
      return compute();
    }
    const full = `${articleId}:${key}`;
    const hit = this.entries.get(full);
    if (hit && Date.now() - hit.at < this.maxAgeMs) {
      // Refresh recency: Map iteration order is insertion order, so this keeps LRU order.
      this.entries.delete(full);
      this.entries.set(full, hit);
      return hit.value;
    }
    const gen = this.generation.get(articleId) ?? 0;
    const value = await compute();
    if ((this.generation.get(articleId) ?? 0) === gen) {
      this.entries.set(full, { articleId, value, at: Date.now() });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
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
