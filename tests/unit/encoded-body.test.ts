import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedBody, EncodedBody } from '../../src/http/compression.js';

// Counts compressions done on the event loop; each still does what zlib does.
vi.mock('node:zlib', async (original) => {
  const zlib = await original<typeof import('node:zlib')>();
  return { ...zlib, brotliCompressSync: vi.fn(zlib.brotliCompressSync) };
});

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

  it('made while readers are served the page it replaces, is compressed before its first reader asks, off the event loop', async () => {
    const asked = await cachedBody(page, 'text/html; charset=utf-8', false);
    const ahead = await cachedBody(page, 'text/html; charset=utf-8', true);
    const syncBefore = vi.mocked(brotliCompressSync).mock.calls.length;
    const br = ahead.variant('br')!;
    expect(vi.mocked(brotliCompressSync).mock.calls.length).toBe(syncBefore);
    expect(brotliDecompressSync(br).equals(page)).toBe(true);
    // The same bytes as made on a first ask, which does compress on the event loop.
    expect(asked.variant('br')!.equals(br)).toBe(true);
    expect(vi.mocked(brotliCompressSync).mock.calls.length).toBe(syncBefore + 1);
    expect(gunzipSync(ahead.variant('gzip')!).equals(page)).toBe(true);
    expect(ahead.etag).toBe(asked.etag);
    // Nothing is made for what is not worth compressing.
    const tiny = await cachedBody(Buffer.from('{"comments":[]}'), 'application/json; charset=utf-8', true);
    expect(tiny.variant('br')).toBeNull();
  });
});
