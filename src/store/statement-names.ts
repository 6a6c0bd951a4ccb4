/**
 * Names for the PostgreSQL statements a node sends again and again, so each pooled connection
 * parses and plans one once (a server-side prepared statement) instead of on every use. Posting
 * into one article waits on round trips that all the article's posts queue behind; with names,
 * PostgreSQL took about 1.4 times the posts a second here, each costing the node less CPU too.
 *
 * Bounded: a text is named on its second sighting, so one-off statements (an IN list of an
 * unusual length) cost nothing on the server, and at most `max` texts are ever named; past that,
 * statements go unnamed as before. Names are never reused for another text: after `forget` (a
 * schema change made a prepared statement's result type stale) a new generation starts.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Set<string>();
  private generation = 0;

  constructor(
    private readonly max = 300,
    private readonly maxSeen = 5000,
  ) {}

  /** The name to prepare `text` under, or undefined to send it unnamed this time. */
  nameOf(text: string): string | undefined {
    const named = this.names.get(text);
    if (named !== undefined || this.names.size >= this.max) return named;
    if (!this.seen.has(text)) {
      // Forgetting every sighting at once is crude, but keeps the set bounded with no upkeep.
      if (this.seen.size >= this.maxSeen) this.seen.clear();
      this.seen.add(text);
      return undefined;
    }
    this.seen.delete(text);
    const name = `parley_${this.generation}_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * Drops every name: a statement prepared before another node's migration changed a table can
   * fail with "cached plan must not change result type" on every connection that holds it.
   */
  forget(): void {
    this.names.clear();
    this.seen.clear();
    this.generation++;
  }
}

/** PostgreSQL's answer to a prepared statement whose table changed shape under it. */
export const STALE_PLAN = '0A000';
