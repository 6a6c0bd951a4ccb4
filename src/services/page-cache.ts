import type { EventBus } from '../events/bus.js';

/**
 * How long ago a guest's page may have been read and still be served while its replacement
 * renders: readers who arrive during a hot thread's render do not wait for it, and never get a
 * page older than this.
 */
export const GUEST_PAGE_STALE_MS = 1000;

/**
 * What anonymous readers see of a discussion page is the same for all of them until something
 * happens under that article, so it is computed once and dropped on the article's next event.
 * Every node hears every event through the bus, so no node serves a page older than the last
 * event it received.
 *
 * Readers asking for a page being computed wait for that computation instead of starting their
 * own (one render per event, however many readers arrive meanwhile) — but only for one started
 * after the article's last event: a computation that began before it may miss what it announced.
 *
 * A cache made with `serveStaleMs` (the pages guests load) makes only the reader who starts that
 * render wait for it: readers who arrive while it runs get the page it replaces, if that was read
 * at most `serveStaleMs` ago, instead of all stalling on every event of a hot thread. A reader
 * who arrives after a render gets it, so (without `refreshEveryMs`) a write is seen by the next
 * read. Such pages name the last event they show (`since`), so the widget that loads one catches
 * up from there and is never silently behind. With `refreshEveryMs`, a page rendered that
 * recently is served after an event too, so a thread taking many comments a second is rendered a
 * few times a second.
 */
export class PageCache<T> {
  private static readonly tally = { hits: 0, misses: 0 };
  /** Pages served without computing them (cached, or joining a computation under way) and pages computed, process-wide (for /metrics). */
  static get stats(): { readonly hits: number; readonly misses: number } {
    return PageCache.tally;
  }

  /** `gen`: the article's generation its computation started in; `at`: when it started. */
  private readonly entries = new Map<string, { articleId: number; value: T; at: number; gen: number }>();
  private readonly inflight = new Map<string, { gen: number; value: Promise<T> }>();
  /** Bumped by each event, so a page computed across an event is not kept as current. */
  private readonly generation = new Map<number, number>();
  /** The last event each article's pages were dropped for (see invalidate). */
  private readonly droppedFor = new Map<number, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly max = 2000,
    // A ceiling on staleness for writes no event announces (an import run from the command line).
    private readonly maxAgeMs = 60_000,
    private readonly serveStaleMs = 0,
    // Within this long of a page's render, a later event does not start another: a hot thread's
    // pages are rendered once per burst of events, not once per event (at most serveStaleMs).
    private readonly refreshEveryMs = 0,
  ) {
    this.unsubscribe = bus.subscribe((w) => this.invalidate(w.articleId, w.eventId));
  }

  /**
   * `compute` is told whether readers are given the page it replaces while it runs: it may then
   * take longer to make a better one (a smaller compressed form), as nobody but its first reader
   * waits for it.
   */
  async get(articleId: number, key: string, compute: (servedMeanwhile: boolean) => Promise<T>): Promise<T> {
    // While the bus is down, other nodes' writes announce nothing here: a cached page could be
    // a minute behind, so pages are computed afresh until wake-ups flow again.
    if (!(this.bus.healthy?.() ?? true)) {
      this.entries.clear();
      PageCache.tally.misses++;
      return compute(false);
    }
    const full = `${articleId}:${key}`;
    const gen = this.generation.get(articleId) ?? 0;
    const hit = this.entries.get(full);
    const age = hit ? Date.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && hit.gen === gen && age < this.maxAgeMs) {
      // Refresh recency: Map iteration order is insertion order, so this keeps LRU order.
      this.entries.delete(full);
      this.entries.set(full, hit);
      PageCache.tally.hits++;
      return hit.value;
    }
    if (hit && age < Math.min(this.refreshEveryMs, this.serveStaleMs)) {
      PageCache.tally.hits++;
      return hit.value;
    }
    // The page a render replaces, if recent enough to give readers while that render runs.
    const servable = age < this.serveStaleMs ? hit : undefined;
    const running = this.inflight.get(full);
    if (running && running.gen === gen) {
      PageCache.tally.hits++;
      return servable ? servable.value : running.value;
    }
    return this.computeFor(full, articleId, gen, () => compute(servable !== undefined));
  }

  private async computeFor(full: string, articleId: number, gen: number, compute: () => Promise<T>): Promise<T> {
    PageCache.tally.misses++;
    const at = Date.now();
    const value = compute();
    this.inflight.set(full, { gen, value });
    try {
      const v = await value;
      // One that started before the article's last event is kept only to be served stale, and
      // only while it is newer than what it replaces.
      const current = (this.generation.get(articleId) ?? 0) === gen;
      const kept = this.entries.get(full);
      if (current || (this.serveStaleMs > 0 && (!kept || kept.at < at))) {
        this.entries.delete(full);
        this.entries.set(full, { articleId, value: v, at, gen });
        if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
      }
      return v;
    } finally {
      if (this.inflight.get(full)?.value === value) this.inflight.delete(full);
    }
  }

  /**
   * Drops the article's pages. With the event that calls for it: not again for an event they were
   * dropped for already, as when this node's own write comes back from the bus after it dropped
   * them on commit. Every page made since then shows that event, and every earlier one of the
   * article (an article's events commit in the order of their ids), so it need not be made again.
   */
  invalidate(articleId: number, eventId?: number): void {
    if (eventId !== undefined) {
      if (eventId <= (this.droppedFor.get(articleId) ?? 0)) return;
      this.droppedFor.set(articleId, eventId);
    }
    this.generation.set(articleId, (this.generation.get(articleId) ?? 0) + 1);
    // Pages that may be served stale stay, behind their article's generation, until replaced.
    if (this.serveStaleMs > 0) return;
    for (const [k, e] of this.entries) if (e.articleId === articleId) this.entries.delete(k);
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
