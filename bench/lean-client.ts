import type autocannon from 'autocannon';

/**
 * autocannon (9.x) appends every response body to a string as it arrives (`req.body += chunk`,
 * in its pipelined-requests queue), for options that read bodies (`onResponse`, `expectBody`),
 * and does it whether or not anything reads them. That decodes each compressed body as UTF-8 on
 * the client's one core: against a plain server answering fixed bodies, 6.4 KB answers went at
 * 22,000 req/s and 9.9 KB ones at 16,000-17,000; without it, 29,000-35,000 for either. So the
 * client, not the server, set the figure of every cached read, and charged a page for each byte
 * it weighs over its API. Browsers decompress bodies; they do not do that.
 *
 * For reads whose bodies nobody inspects, this drops the append. Bytes are still counted (from
 * the socket, before parsing) and responses still parsed and timed. Where autocannon's insides
 * differ from what this expects, the client is left as it is.
 */
export function withoutBodies(opts: autocannon.Options): autocannon.Options {
  const readsBodies = opts.expectBody !== undefined || opts.verifyBody !== undefined || (opts.requests ?? []).some((r) => r.onResponse !== undefined);
  if (readsBodies || opts.setupClient) return opts;
  return {
    ...opts,
    setupClient: (client) => {
      const queue = (client as unknown as { pipelinedRequests?: { addBody?: unknown } }).pipelinedRequests;
      if (queue && typeof queue.addBody === 'function') queue.addBody = () => {};
    },
  };
}
