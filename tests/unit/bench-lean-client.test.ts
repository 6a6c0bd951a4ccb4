import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutBodies } from '../../bench/lean-client.js';

const BODY = Buffer.alloc(10_240, 'x');

describe('the benchmark client without bodies (bench/lean-client.ts)', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end(BODY));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('still counts every response and its bytes', async () => {
    const r = await autocannon(withoutBodies({ url, connections: 2, amount: 200 }));
    expect(r.non2xx + r.errors + r.timeouts).toBe(0);
    expect(r.requests.total).toBe(200);
    // Headers and body, as received.
    expect(r.throughput.total).toBeGreaterThanOrEqual(200 * BODY.length);
  });

  it('leaves a client that reads bodies as it is', async () => {
    const lengths: number[] = [];
    const opts: autocannon.Options = { url, connections: 1, amount: 5, requests: [{ onResponse: (_status, body) => void lengths.push(body.length) }] };
    expect(withoutBodies(opts)).toBe(opts);
    await autocannon(withoutBodies(opts));
    expect(lengths).toEqual([BODY.length, BODY.length, BODY.length, BODY.length, BODY.length]);
    const checked = { url, expectBody: 'x' };
    expect(withoutBodies(checked)).toBe(checked);
  });

  it('drops the body only where the client is the shape it knows', () => {
    const setup = withoutBodies({ url }).setupClient!;
    const gathered: string[] = [];
    const known = { pipelinedRequests: { addBody: (b: string) => void gathered.push(b) } };
    setup(known as unknown as autocannon.Client);
    known.pipelinedRequests.addBody('body');
    expect(gathered).toEqual([]);
    const other = { somethingElse: true };
    expect(() => setup(other as unknown as autocannon.Client)).not.toThrow();
  });
});
