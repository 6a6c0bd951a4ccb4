import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { hashToken } from '../../src/services/accounts.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store, blankArticle } from '../../src/store/store.js';
import { sseClient, type SseClient } from './sse-client.js';

/*
 * A load client for fault tests. Writers post comments, replies and votes the way the widget
 * does (one Idempotency-Key per composed write, the same key on every retry after a lost
 * answer); a reader polls the thread; live listeners hold an SSE stream on every node. Every
 * acknowledged write is recorded, and `verify` checks the database afterwards: nothing
 * acknowledged is missing, nothing is stored twice, the counters are exact, and every listener
 * heard of every acknowledged comment.
 */

export interface Writer {
  userId: number;
  cookie: string;
  csrf: string;
}

/** An article and `writers` subscribers with sessions, written straight to the database. */
export async function prepareLoad(url: string, writers: number): Promise<{ articleId: number; writers: Writer[] }> {
  const conn = connect(url);
  try {
    await migrate(conn);
    const store = new Store(conn.db, conn.dialect);
    const now = new Date();
    const article = await store.articles.upsert(
      blankArticle({ slug: `load-${randomBytes(3).toString('hex')}`, title: 'Under load', publishedAt: now, body: 'Load.' }),
      now,
    );
    const out: Writer[] = [];
    for (let i = 0; i < writers; i++) {
      const user = await store.users.ensure(`writer${i}@example.com`, `Writer ${i}`, now);
      await store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
      const token = `load-session-${i}-${randomBytes(6).toString('hex')}`;
      const csrf = `load-csrf-${i}`;
      await store.users.createSession(hashToken(token), user.id, csrf, now, new Date(Date.now() + 24 * 3600_000));
      out.push({ userId: user.id, cookie: `parley_session=${token}`, csrf });
    }
    return { articleId: article.id, writers: out };
  } finally {
    await conn.close();
  }
}

/** Environment for server processes under load: limits that a test's own traffic cannot reach. */
export const LOAD_ENV = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  POST_LIMIT_PER_MINUTE: '1000000',
  VOTE_LIMIT_PER_MINUTE: '1000000',
  VOTE_MIN_ACCOUNT_AGE_HOURS: '0',
  NEW_ACCOUNT_HOURS: '0',
  NEW_ACCOUNT_SLOWDOWN_SECONDS: '0',
  DUPLICATE_WINDOW_MINUTES: '0',
  LIVE_CONNECTS_PER_MINUTE: '100000',
};

interface Attempt {
  kind: 'comment' | 'vote';
  writer: number;
  body?: string;
  parentId?: number | null;
  commentId?: number;
  value?: number;
}

export interface LoadOptions {
  nodes: string[];
  articleId: number;
  writers: Writer[];
  thinkMs?: number;
  readerHz?: number;
  /** A request without an answer in this time is a lost answer: the client retries it. */
  requestTimeoutMs?: number;
  /** How long one write keeps being retried before the client gives up on it. */
  giveUpMs?: number;
  /** Live listeners per node. */
  listenersPerNode?: number;
}

export interface LoadReport {
  acknowledged: number;
  comments: number;
  votes: number;
  lost: number;
  duplicated: number;
  /** Answers with status 500 or above other than 503/507, and writes refused with a 4xx. */
  failures: string[];
  statuses: Record<string, number>;
  retried: number;
  gaveUp: number;
  counterErrors: string[];
  /** Acknowledged comments some live listener never heard of. */
  missedLive: number;
  liveResets: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LoadClient {
  private running = false;
  private loops: Promise<void>[] = [];
  private seq = 0;
  readonly attempts: Attempt[] = [];
  readonly acked: (Attempt & { commentId: number })[] = [];
  readonly statuses: Record<string, number> = {};
  readonly failures: string[] = [];
  private readonly votedOn = new Set<string>();
  retried = 0;
  gaveUp = 0;
  listeners: SseClient[] = [];
  /** Time of the last acknowledged write, to measure recovery after a fault. */
  lastAckAt = 0;
  readonly ackTimes: number[] = [];

  constructor(private readonly o: LoadOptions) {}

  async start(): Promise<void> {
    this.running = true;
    for (const node of this.o.nodes) {
      for (let i = 0; i < (this.o.listenersPerNode ?? 1); i++) this.listeners.push(sseClient(`${node}/api/v1/articles/${this.o.articleId}/events`));
    }
    await Promise.all(this.listeners.map((l) => l.ready));
    this.o.writers.forEach((_, i) => this.loops.push(this.writerLoop(i)));
    if ((this.o.readerHz ?? 10) > 0) this.loops.push(this.readerLoop());
  }

  /** Stops the writers and the reader; listeners stay until `close`, so late events still count. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  close(): void {
    this.running = false;
    for (const l of this.listeners) l.close();
  }

  private count(key: string) {
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
  }

  private async writerLoop(w: number): Promise<void> {
    const writer = this.o.writers[w]!;
    while (this.running) {
      const mine = this.acked.filter((a) => a.kind === 'comment');
      const others = mine.filter((a) => a.writer !== w && !this.votedOn.has(`${w}:${a.commentId}`));
      const r = Math.random();
      if (r < 0.2 && others.length > 0) {
        const target = others[Math.floor(Math.random() * others.length)]!;
        this.votedOn.add(`${w}:${target.commentId}`);
        await this.write(writer, { kind: 'vote', writer: w, commentId: target.commentId, value: Math.random() < 0.7 ? 1 : -1 });
      } else {
        const parent = r < 0.45 && mine.length > 0 ? mine[Math.floor(Math.random() * mine.length)]! : null;
        await this.write(writer, {
          kind: 'comment',
          writer: w,
          body: `load w${w} n${this.seq++} ${randomBytes(4).toString('hex')}`,
          parentId: parent?.commentId ?? null,
        });
      }
      await sleep(this.o.thinkMs ?? 200);
    }
  }

  private async write(writer: Writer, a: Attempt): Promise<void> {
    this.attempts.push(a);
    const key = randomBytes(12).toString('base64url');
    const first = a.writer + this.attempts.length;
    const headers = { 'content-type': 'application/json', cookie: writer.cookie, 'x-csrf-token': writer.csrf, 'idempotency-key': key };
    const giveUpAt = Date.now() + (this.o.giveUpMs ?? 20_000);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.retried++;
      // A retry goes to the next node, as a load balancer would send it.
      const node = this.o.nodes[(first + attempt) % this.o.nodes.length]!;
      const req =
        a.kind === 'comment'
          ? { url: `${node}/api/v1/articles/${this.o.articleId}/comments`, method: 'POST', body: JSON.stringify({ body: a.body, parentId: a.parentId }) }
          : { url: `${node}/api/v1/comments/${a.commentId}/vote`, method: 'PUT', body: JSON.stringify({ value: a.value }) };
      let status: number | 'timeout' | 'network';
      let body: any = null;
      let retryAfter = 0;
      try {
        const res = await fetch(req.url, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(this.o.requestTimeoutMs ?? 5000) });
        status = res.status;
        retryAfter = Number(res.headers.get('retry-after') ?? 0);
        body = await res.json().catch(() => null);
      } catch (err) {
        status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      }
      this.count(String(status));
      if (status === 201 || status === 200) {
        const commentId = a.kind === 'comment' ? (body.comment.id as number) : a.commentId!;
        this.acked.push({ ...a, commentId });
        this.lastAckAt = Date.now();
        this.ackTimes.push(this.lastAckAt);
        return;
      }
      // 409 request_in_progress: the same key's first try is still running on some node.
      const inProgress = status === 409 && body?.error?.code === 'request_in_progress';
      const transient = status === 'timeout' || status === 'network' || status === 503 || status === 429 || inProgress;
      if (!transient) {
        this.failures.push(`${req.method} ${req.url} -> ${status} ${JSON.stringify(body)?.slice(0, 300)}`);
        return;
      }
      if (Date.now() > giveUpAt) {
        this.gaveUp++;
        return;
      }
      await sleep(Math.min(1000, Math.max(100, retryAfter * 1000 || 100 * 2 ** Math.min(attempt, 3))));
    }
  }

  private async readerLoop(): Promise<void> {
    let i = 0;
    while (this.running) {
      const node = this.o.nodes[i++ % this.o.nodes.length]!;
      try {
        const res = await fetch(`${node}/api/v1/articles/${this.o.articleId}/comments?sort=newest`, {
          signal: AbortSignal.timeout(this.o.requestTimeoutMs ?? 5000),
        });
        await res.arrayBuffer();
        this.count(`read ${res.status}`);
        if (res.status >= 500 && res.status !== 503) this.failures.push(`GET comments -> ${res.status}`);
      } catch (err) {
        this.count(`read ${(err as Error).name === 'TimeoutError' ? 'timeout' : 'network'}`);
      }
      await sleep(1000 / (this.o.readerHz ?? 10));
    }
  }

  /** First acknowledged write at or after `t`: how long the nodes took to serve writes again. */
  firstAckAfter(t: number): number | null {
    const hit = this.ackTimes.find((x) => x >= t);
    return hit === undefined ? null : hit - t;
  }

  /** Checks the database against what was acknowledged. Waits up to `liveWaitMs` for live listeners. */
  async verify(databaseUrl: string, liveWaitMs = 10_000): Promise<LoadReport> {
    const comments = this.acked.filter((a) => a.kind === 'comment');
    const votes = this.acked.filter((a) => a.kind === 'vote');
    const conn = connect(databaseUrl);
    try {
      const db = conn.db;
      const rows = await db
        .selectFrom('comments')
        .select(['id', 'body_src', 'status', 'up', 'down', 'author_id'])
        .where('article_id', '=', this.o.articleId)
        .execute();
      const byBody = new Map<string, number>();
      for (const r of rows) byBody.set(r.body_src, (byBody.get(r.body_src) ?? 0) + 1);
      const ids = new Map(rows.map((r) => [Number(r.id), r]));
      let lost = 0;
      for (const c of comments) if (ids.get(c.commentId)?.body_src !== c.body) lost++;
      const voteRows = await db.selectFrom('votes').select(['comment_id', 'user_id', 'value']).execute();
      const voteOf = new Map(voteRows.map((v) => [`${v.user_id}:${v.comment_id}`, Number(v.value)]));
      for (const v of votes) if (voteOf.get(`${this.o.writers[v.writer]!.userId}:${v.commentId}`) !== v.value) lost++;
      let duplicated = 0;
      for (const n of byBody.values()) if (n > 1) duplicated += n - 1;
      const counterErrors: string[] = [];
      for (const r of rows) {
        const up = voteRows.filter((v) => Number(v.comment_id) === Number(r.id) && Number(v.value) === 1).length;
        const down = voteRows.filter((v) => Number(v.comment_id) === Number(r.id) && Number(v.value) === -1).length;
        if (Number(r.up) !== up || Number(r.down) !== down) counterErrors.push(`comment ${r.id}: up/down ${r.up}/${r.down}, votes say ${up}/${down}`);
      }
      const visible = rows.filter((r) => r.status === 'visible').length;
      const article = await db.selectFrom('articles').select('comment_count').where('id', '=', this.o.articleId).executeTakeFirstOrThrow();
      if (Number(article.comment_count) !== visible) counterErrors.push(`article comment_count ${article.comment_count}, visible rows ${visible}`);
      await sql`SELECT 1`.execute(db);

      const heard = () => this.listeners.map((l) => new Set(l.events.filter((e) => e.event === 'comment.created').map((e) => Number(e.data.comment?.id))));
      const missing = () => {
        const sets = heard();
        return comments.filter((c) => sets.some((s) => !s.has(c.commentId))).length;
      };
      const end = Date.now() + liveWaitMs;
      while (missing() > 0 && Date.now() < end) await sleep(100);
      return {
        acknowledged: this.acked.length,
        comments: comments.length,
        votes: votes.length,
        lost,
        duplicated,
        failures: this.failures,
        statuses: this.statuses,
        retried: this.retried,
        gaveUp: this.gaveUp,
        counterErrors,
        missedLive: missing(),
        liveResets: this.listeners.reduce((n, l) => n + l.resets, 0),
      };
    } finally {
      await conn.close();
    }
  }
}
