/**
 * Guests reading an article while it receives a steady stream of new comments (issue 12: 20 per
 * second): each comment changes the article's page, so this measures how well the page cache
 * keeps up. Used by bench/run.ts for its table, against a running server.
 */

/**
 * Runs `read` (a load run against the article's page) while one subscriber (`cookie`, `csrf`)
 * posts into `articleId` at `perSecond`, each post on a timer of its own so a slow answer does
 * not slow the stream down. Gives what `read` gave and the comments acknowledged per second.
 */
export async function whilePosting<R>(
  opts: { base: string; articleId: number; cookie: string; csrf: string; perSecond: number },
  read: () => Promise<R>,
): Promise<{ read: R; posted: number }> {
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
    const result = await read();
    return { read: result, posted: acked / ((performance.now() - started) / 1000) };
  } finally {
    clearInterval(timer);
    await Promise.all(inFlight);
  }
}
