import pg from 'pg';
import { inProcessBus, type EventBus, type Wakeup } from './bus.js';

const CHANNEL = 'parley_events';
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * Several app nodes on one PostgreSQL: NOTIFY reaches every node that LISTENs, this one included.
 * The LISTEN connection is reopened for as long as the node runs, however long the database is
 * away (backoff up to 5 s, with jitter so a fleet does not reconnect in step). While it is down
 * `healthy()` says so: LiveHub then reads the events log itself, and /readyz reports the bus.
 */
export function postgresBus(url: string, onError: (err: Error) => void = () => {}): EventBus {
  const local = inProcessBus();
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1000, query_timeout: 2000 });
  pool.on('error', onError);
  // pg drops the pool's listener from a checked-out client; without one of its own, a restart
  // during a NOTIFY would be an unhandled 'error' event.
  pool.on('connect', (client) => client.on('error', onError));
  let listener: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let wakeSleeper: () => void = () => {};
  // Wake-ups published in one turn of the event loop (a committed batch of posts) go out in one
  // round trip, one NOTIFY per article naming its latest event: a woken reader reads every event
  // after the last it saw, not only the one named, so the earlier ones add nothing.
  let queued: Map<number, number> | null = null;
  let sent: Promise<void> | null = null;

  const deliver = (n: pg.Notification) => {
    try {
      const w = JSON.parse(n.payload ?? '') as Wakeup;
      if (Number.isSafeInteger(w.articleId) && Number.isSafeInteger(w.eventId)) void local.publish(w);
    } catch {
      // A malformed payload is someone else's message on our channel; ignore it.
    }
  };

  /** One LISTEN session: resolves when its connection is lost (or the bus closes). */
  const session = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000, keepAlive: true });
    const lost = new Promise<void>((resolve) => {
      client.on('error', (err) => {
        onError(err);
        resolve();
      });
      client.on('end', () => resolve());
    });
    client.on('notification', deliver);
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      connected = true;
      await lost;
    } finally {
      connected = false;
      listener = null;
      await client.end().catch(() => {});
    }
  };

  const run = async () => {
    let delay = FIRST_RETRY_MS;
    while (!closed) {
      const started = Date.now();
      await session().catch((err: Error) => onError(err));
      if (closed) return;
      // A session that lasted a while was healthy: start the backoff afresh.
      if (Date.now() - started > MAX_RETRY_MS) delay = FIRST_RETRY_MS;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay * (0.5 + Math.random() / 2));
        wakeSleeper = () => {
          clearTimeout(t);
          resolve();
        };
      });
      delay = Math.min(MAX_RETRY_MS, delay * 2);
    }
  };
  const running = run();

  return {
    publish(w) {
      if (!queued) {
        const batch = (queued = new Map());
        sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
          queued = null;
          const payloads = [...batch].map(([articleId, eventId]) => JSON.stringify({ articleId, eventId }));
          await pool.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [CHANNEL, payloads]);
        });
      }
      queued.set(w.articleId, Math.max(queued.get(w.articleId) ?? 0, w.eventId));
      return sent!;
    },
    subscribe: (fn) => local.subscribe(fn),
    healthy: () => connected,
    async close() {
      closed = true;
      wakeSleeper();
      await listener?.end().catch(() => {});
      await running;
      await pool.end();
      await local.close();
    },
  };
}
