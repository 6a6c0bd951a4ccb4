/**
 * An SSE reader that behaves as a browser's EventSource does: it reconnects after a dropped
 * stream, waits the server's `retry:` hint (capped), and resumes with `Last-Event-ID`.
 */
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

export interface SseClient {
  events: SseEvent[];
  /** How many times the stream was opened (1 + reconnects). */
  connects: number;
  resets: number;
  ready: Promise<void>;
  waitFor(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}

export function sseClient(url: string, opts: { lastEventId?: string; maxRetryMs?: number; onOpen?: () => void } = {}): SseClient {
  const maxRetry = opts.maxRetryMs ?? 1000;
  let lastId = opts.lastEventId ?? '';
  let retryMs = 500;
  let closed = false;
  let ctrl = new AbortController();
  let markReady!: () => void;
  const client: SseClient = {
    events: [],
    connects: 0,
    resets: 0,
    ready: new Promise<void>((r) => (markReady = r)),
    async waitFor(pred, ms = 8000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const hit = client.events.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(client.events.map((e) => e.event))}`);
    },
    close() {
      closed = true;
      ctrl.abort();
    },
  };

  const handle = (block: string) => {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || !line.includes(':')) continue;
      const name = line.slice(0, line.indexOf(':'));
      fields[name] = line.slice(line.indexOf(':') + 1).replace(/^ /, '');
    }
    if (fields.retry && /^\d+$/.test(fields.retry)) retryMs = Math.min(Number(fields.retry), maxRetry);
    if (fields.id !== undefined) lastId = fields.id;
    if (!fields.event) return;
    if (fields.event === 'reset') client.resets++;
    client.events.push({ id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data ?? '{}') });
  };

  const once = async () => {
    ctrl = new AbortController();
    const res = await fetch(url, { signal: ctrl.signal, headers: lastId ? { 'last-event-id': lastId } : {} });
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      throw new Error(`SSE answered ${res.status}`);
    }
    client.connects++;
    markReady();
    opts.onOpen?.();
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        handle(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
    }
  };

  void (async () => {
    while (!closed) {
      try {
        await once();
      } catch {}
      if (!closed) await new Promise((r) => setTimeout(r, retryMs));
    }
  })();
  return client;
}
