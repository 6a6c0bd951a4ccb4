import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { RedisLink } from '../redis-link.js';

interface Count {
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}
type Done = (err: Error | null, res?: Count) => void;

/** Fixed-window counters in this process, least recently used dropped past `capacity` keys. */
export class LocalCounters {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly capacity = 10_000) {}

  incr(key: string, windowMs: number, now = Date.now()): Count {
    let w = this.windows.get(key);
    // Delete and set again: Map keeps insertion order, so the first key is the least recent.
    this.windows.delete(key);
    if (!w || w.endsAt <= now) w = { count: 0, endsAt: now + windowMs };
    w.count++;
    this.windows.set(key, w);
    if (this.windows.size > this.capacity) this.windows.delete(this.windows.keys().next().value!);
    return { current: w.count, ttl: w.endsAt - now };
  }
}

// One round trip: count, start the window on the first hit, and say how long it has left.
const INCR_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

type ScriptedRedis = Redis & { parleyRateLimit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Rate-limit counters shared by every node through Redis, which fall back to this node's own
 * counters while Redis is unusable, rather than failing the request (500) or dropping the limit
 * altogether (the plugin's `skipOnError`). A command waits at most the connection's command
 * timeout, and while the link is known to be down Redis is not tried at all until it is back.
 * Limits are then per node: with two nodes a client can get up to twice its limit for a while.
 */
export function fallbackRateLimitStore(link: RedisLink, fellBack: () => void, namespace = 'parley-rl:'): FastifyRateLimitStoreCtor {
  const redis = link.client as ScriptedRedis;
  if (typeof redis.parleyRateLimit !== 'function') redis.defineCommand('parleyRateLimit', { numberOfKeys: 1, lua: INCR_SCRIPT });

  class FallbackStore implements FastifyRateLimitStore {
    private readonly local = new LocalCounters();

    constructor(
      _options: FastifyRateLimitOptions,
      private readonly prefix = namespace,
    ) {}

    incr(key: string, done: Done, timeWindow: number): void {
      const locally = () => {
        fellBack();
        done(null, this.local.incr(key, timeWindow));
      };
      if (!link.usable) return locally();
      link
        .run(() => redis.parleyRateLimit(this.prefix + key, timeWindow))
        .then(
          ([current, ttl]) => done(null, { current, ttl }),
          () => locally(),
        );
    }

    child(routeOptions: unknown): FastifyRateLimitStore {
      // The plugin passes the merged route settings; a route's own limit gets its own counters.
      const route = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo ?? {};
      return new FallbackStore(routeOptions as FastifyRateLimitOptions, `${namespace}${route.method ?? ''}${route.url ?? ''}-`);
    }
  }
  return FallbackStore;
}
