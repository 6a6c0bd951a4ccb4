import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncodedBody } from '../../src/http/compression.js';

// A page-like body: varied sentences, so the compressors have something to find.
const words = ['night', 'train', 'sleeper', 'coach', 'border', 'timetable', 'subsidy', 'route', 'platform', 'ticket'];
const page = Buffer.from(
  Array.from({ length: 1500 }, (_, i) => `<p id="c${i}">${words[i % 10]} ${words[(i * 7) % 10]} ${words[(i * 3) % 10]} ${i}</p>`).join('\n'),
);

describe('a cached body', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is compressed again as small as brotli can once it has lasted, in the background, to the same content', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const body = new EncodedBody(page, 'text/html; charset=utf-8');
    const first = body.variant('br')!;
    const gzip = body.variant('gzip')!;
    await body.shrunk();
    // Young, as in a hot thread whose page is rendered again within the second: left as it is.
    expect(body.variant('br')).toBe(first);
    vi.setSystemTime(Date.now() + 2500);
    expect(body.variant('br')).toBe(first);
    await body.shrunk();
    const smaller = body.variant('br')!;
    expect(smaller.length).toBeLessThan(first.length);
    expect(brotliDecompressSync(smaller).equals(page)).toBe(true);
    // Other codings, and the validator, are what they were.
    expect(body.variant('gzip')).toBe(gzip);
    expect(gunzipSync(gzip).equals(page)).toBe(true);
    expect(body.etag).toBe(new EncodedBody(page, 'text/html; charset=utf-8').etag);
  });

  it('made once and compressed hardest from the start (a static file) is not compressed again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const body = new EncodedBody(page, 'text/css', 'once');
    const first = body.variant('br')!;
    vi.setSystemTime(Date.now() + 10_000);
    body.variant('br');
    await body.shrunk();
    expect(body.variant('br')).toBe(first);
  });
});
