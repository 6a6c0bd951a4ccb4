import type { Logger } from 'pino';
import { RedisLink, type RedisHealth } from '../redis-link.js';
import { inProcessBus, type EventBus, type Wakeup } from './bus.js';

const CHANNEL = 'parley:events';

/**
 * Redis pub/sub when REDIS_URL is set: for deployments that already run Redis, or several nodes
 * on SQLite-free setups where PostgreSQL NOTIFY is not wanted. Like NOTIFY, a message only wakes
 * nodes up; the events log in the database stays the source of truth. So while Redis is away the
 * bus says it is not healthy, LiveHub polls that log instead, and a failed publish never fails a
 * write: this node's own readers are woken directly.
 */
export function redisBus(url: string, health: RedisHealth, log: Pick<Logger, 'debug'>): EventBus {
  const local = inProcessBus();
  const pub = new RedisLink(url, 'publish', health, log);
  // A subscriber on a hung server hears nothing and cannot tell: the heartbeat finds out.
  const sub = new RedisLink(url, 'subscribe', health, log, { prepare: (client) => client.subscribe(CHANNEL), heartbeat: true });
  sub.client.on('message', (_channel: string, payload: string) => {
    try {
      const w = JSON.parse(payload) as Wakeup;
      if (Number.isSafeInteger(w.articleId) && Number.isSafeInteger(w.eventId)) void local.publish(w);
    } catch {
      // Not ours; ignore.
    }
  });
  return {
    async publish(w) {
      if (pub.usable) {
        try {
          await pub.run((c) => c.publish(CHANNEL, JSON.stringify(w)));
          // Heard back through our own subscription, like every other node's.
          if (sub.usable) return;
        } catch {
          health.fellBack('publish');
        }
      } else {
        health.fellBack('publish');
      }
      await local.publish(w);
    },
    subscribe: (fn) => local.subscribe(fn),
    healthy: () => pub.usable && sub.usable,
    async close() {
      await Promise.allSettled([sub.close(), pub.close()]);
      await local.close();
    },
  };
}
