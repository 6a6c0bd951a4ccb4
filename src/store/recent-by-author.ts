/** One of an author's comments as the duplicate check compares it. */
export interface RecentComment {
  id: number;
  body: string;
  createdAt: number;
}

/**
 * Authors' latest comments, read once for a batch of posts that share a transaction (group
 * commit) instead of once per post: on PostgreSQL each question is a round trip that every
 * post queued behind the batch waits for. Only authors whose posting lock the transaction holds
 * are loaded, so nobody else can add to their comments meanwhile; what the transaction itself
 * writes is added as it is written. Only for writes that no savepoint can take back alone (a
 * failure rolls back the whole transaction, and this memo with it). No I/O here.
 */
export class RecentByAuthor {
  private readonly byAuthor = new Map<number, RecentComment[]>();

  constructor(private readonly lookback: number) {}

  /** Rows newest first, at most `lookback` per author; authors without rows are known to have none. */
  load(authors: readonly number[], rows: readonly { authorId: number; id: number; body: string; createdAt: number }[]): void {
    for (const a of authors) this.byAuthor.set(a, []);
    for (const r of rows) this.byAuthor.get(r.authorId)?.push({ id: r.id, body: r.body, createdAt: r.createdAt });
    for (const list of this.byAuthor.values()) list.sort(newestFirst);
  }

  knows(authorId: number): boolean {
    return this.byAuthor.has(authorId);
  }

  /** A comment the transaction wrote, for an author it knows. */
  add(authorId: number, c: RecentComment): void {
    const list = this.byAuthor.get(authorId);
    if (!list) return;
    list.push(c);
    list.sort(newestFirst);
  }

  /**
   * What CommentsRepository.recentDuplicate's query would find among the author's last
   * `lookback` comments since `since`: those with these words, lowest id first.
   */
  matches(authorId: number, body: string, since: number): RecentComment[] {
    const list = this.byAuthor.get(authorId) ?? [];
    return list
      .filter((c) => c.createdAt >= since)
      .slice(0, this.lookback)
      .filter((c) => c.body === body)
      .sort((a, b) => a.id - b.id);
  }
}

const newestFirst = (a: RecentComment, b: RecentComment) => b.createdAt - a.createdAt || b.id - a.id;
