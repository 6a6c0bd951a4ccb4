import { EventEmitter } from 'node:events';
import pg from 'pg';

/** "Something new happened under this article": readers then fetch the events log. */
export interface Wakeup {
  articleId: number;
  eventId: number;
}

export interface EventBus {
  publish(w: Wakeup): Promise<void>;
  subscribe(fn: (w: Wakeup) => void): () => void;
  /**
   * False while wake-ups may not reach every node (the broker is unreachable): LiveHub then polls
   * the events log. Absent: always true.
   */
  healthy?(): boolean;
  close(): Promise<void>;
}

/** One process: wake-ups stay in memory. */
export function inProcessBus(): EventBus {
  const em = new EventEmitter();
  em.setMaxListeners(0);
  return {
    async publish(w) {
      em.emit('wakeup', w);
    },
    subscribe(fn) {
      em.on('wakeup', fn);
      return () => em.off('wakeup', fn);
    },
    healthy: () => true,
    async close() {
      em.removeAllListeners();
    },
  };
}

const CHANNEL = 'parley_events';

/**
 * Several app nodes on one PostgreSQL: NOTIFY reaches every node that LISTENs, this one included.
 * A dropped listener connection is re-opened; events missed meanwhile are still in the log, and
 * the wake-up after reconnecting makes live clients catch up from it.
 */
export function postgresBus(url: string, onError: (err: Error) => void = () => {}): EventBus {
  const local = inProcessBus();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', onError);
  let listener: pg.Client | null = null;
  let closed = false;

  const listen = async (): Promise<void> => {
    if (closed) return;
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (n) => {
      try {
        const w = JSON.parse(n.payload ?? '') as Wakeup;
        if (Number.isSafeInteger(w.articleId) && Number.isSafeInteger(w.eventId)) void local.publish(w);
      } catch {
        // A malformed payload is someone else's message on our channel; ignore it.
      }
    });
    client.on('error', (err) => {
      onError(err);
      listener = null;
      client.end().catch(() => {});
      setTimeout(() => void listen().catch(onError), 500);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  };
  const ready = listen();

  return {
    async publish(w) {
      await ready;
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(w)]);
    },
    subscribe: (fn) => local.subscribe(fn),
    async close() {
      closed = true;
      await ready.catch(() => {});
      await listener?.end().catch(() => {});
      await pool.end();
      await local.close();
    },
  };
}
