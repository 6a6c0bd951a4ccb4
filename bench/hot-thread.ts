/**
 * Guests reading an article while it receives a steady stream of new comments (issue 12: 20 per
 * second): each comment changes the article's page, so this measures how well the page cache
 * keeps up. Used by bench/run.ts for its table, against a running server.
 */
import autocannon from 'autocannon';

export interface HotThreadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Comments acknowledged per second while the readers read. */
  posted: number;
}

/**
 * Reads `url` with 20 connections for `seconds` while one subscriber (`cookie`, `csrf`) posts
 * into `articleId` at `perSecond`, each post on a timer of its own so a slow answer does not
 * slow the stream down.
 */
export async function readWhilePosting(opts: {
  base: string;
  url: string;
  articleId: number;
  cookie: string;
  csrf: string;
  perSecond: number;
  seconds: number;
  headers: Record<string, string>;
}): Promise<HotThreadResult> {
  let n = 0;
  let acked = 0;
  const inFlight = new Set<Promise<void>>();
  const post = () => {
    const p = fetch(`${opts.base}/api/v1/articles/${opts.articleId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: opts.cookie, 'x-csrf-token': opts.csrf },
      body: JSON.stringify({ body: `Hot thread comment ${Date.now()}-${n++}.` }),
    })
      .then(async (r) => {
        if (r.status === 201) acked++;
        await r.arrayBuffer();
      })
      .catch(() => {})
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const started = performance.now();
  const timer = setInterval(post, 1000 / opts.perSecond);
  try {
    const r = await autocannon({ url: opts.url, connections: 20, duration: opts.seconds, headers: opts.headers });
    const posted = acked / ((performance.now() - started) / 1000);
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts, posted };
  } finally {
    clearInterval(timer);
    await Promise.all(inFlight);
  }
}
