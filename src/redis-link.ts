import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Longer than a healthy Redis ever takes, short enough that a request barely notices a hung one. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** How often a distrusted connection, or a subscriber's, is PINGed. */
const PROBE_MS = 1000;

/**
 * Every Redis connection Parley opens. Redis only speeds things up and shares counters between
 * nodes; the database is the source of truth. So a command runs now or fails now: none waits in
 * a queue while Redis is away, to run minutes later for a request whose client gave up long ago.
 */
export function redisConnection(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: `parley-${name}`,
    // Sent while disconnected: fails at once rather than being queued until Redis returns.
    enableOfflineQueue: false,
    // In flight when the connection drops: fails rather than being sent again after reconnecting.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // A subscriber's RedisLink subscribes again itself, so it knows when it is listening again.
    autoResubscribe: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1000,
    // Reconnect forever, backing off to one attempt a second.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
  });
}

export type RedisUse = 'rate_limit' | 'publish';

/** Where RedisHealth reports to: the metrics. */
export interface RedisHealthHooks {
  changed(up: boolean): void;
  fellBack(use: RedisUse): void;
}

/**
 * Whether this node can use Redis, from what each of its connections sees. Logs once when Redis
 * goes away and once when it is back, however many connections and errors that outage involves.
 */
export class RedisHealth {
  /** Per connection: usable, or not; absent while it first connects. */
  private readonly links = new Map<string, boolean>();
  private state: 'starting' | 'up' | 'down' = 'starting';

  constructor(
    private readonly log: Pick<Logger, 'warn' | 'info'>,
    private readonly hooks: RedisHealthHooks = { changed: () => {}, fellBack: () => {} },
  ) {}

  get up(): boolean {
    return this.state === 'up';
  }

  report(link: string, usable: boolean): void {
    this.links.set(link, usable);
    const values = [...this.links.values()];
    const next = values.includes(false) ? 'down' : values.every(Boolean) ? 'up' : this.state;
    if (next === this.state) return;
    const before = this.state;
    this.state = next;
    this.hooks.changed(next === 'up');
    if (next === 'down') this.log.warn('redis unavailable: using local rate limits and database polling');
    else if (before === 'down') this.log.info('redis available again: shared rate limits and live wake-ups through redis');
  }

  fellBack(use: RedisUse): void {
    this.hooks.fellBack(use);
  }
}

/**
 * One Redis connection and whether it can be used right now. Not usable while disconnected or
 * reconnecting, nor once commands time out on a connection that looks open (a hung server): then
 * it is PINGed every second until it answers, and callers skip it at once meanwhile instead of
 * each waiting out a timeout. A subscriber only listens, so it would never notice a hung server;
 * with `heartbeat` it is PINGed every second all the time.
 */
export class RedisLink {
  readonly client: Redis;
  private prepared = false;
  private suspect = false;
  /** When a command last failed on a connection still trusted: one failure is not yet proof. */
  private doubtSince: number | null = null;
  private pinging = false;
  private closed = false;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    url: string,
    readonly name: string,
    private readonly health: RedisHealth,
    log: Pick<Logger, 'debug'>,
    private readonly opts: {
      /** Run on every fresh connection before it counts as usable (a subscriber subscribes here). */
      prepare?: (client: Redis) => Promise<unknown>;
      heartbeat?: boolean;
    } = {},
  ) {
    this.client = redisConnection(url, name);
    // Every failed reconnect attempt is an error event; RedisHealth logs the outage once instead.
    this.client.on('error', (err) => log.debug({ err, redis: name }, 'redis connection error'));
    this.client.on('ready', () => void this.connected());
    this.client.on('close', () => {
      this.prepared = false;
      this.doubtSince = null;
      this.report();
    });
    this.pinger = setInterval(() => this.ping(), PROBE_MS);
    this.pinger.unref();
  }

  get usable(): boolean {
    return this.client.status === 'ready' && this.prepared && !this.suspect;
  }

  /** Runs a command on this connection, and stops using the connection if Redis does not answer. */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    const sentAt = performance.now();
    try {
      const out = await command(this.client);
      if (this.doubtSince !== null && sentAt > this.doubtSince) this.doubtSince = null;
      return out;
    } catch (err) {
      // A timeout may be this process stalling: a blocked event loop runs every timer due before
      // it reads the replies waiting for them. A command sent after that failing too is Redis.
      if (this.doubtSince !== null && sentAt > this.doubtSince) this.distrust();
      else this.doubtSince ??= performance.now();
      throw err;
    }
  }

  async close(): Promise<void> {
    // Shutting down is not an outage: nothing to log.
    this.closed = true;
    clearInterval(this.pinger);
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private distrust(): void {
    // A closed connection reports itself; only one that looks open needs distrusting.
    this.doubtSince = null;
    if (this.client.status !== 'ready' || this.suspect) return;
    this.suspect = true;
    this.report();
  }

  private ping(): void {
    if (this.pinging || !this.prepared || this.client.status !== 'ready') return;
    if (!this.suspect && !this.opts.heartbeat) return;
    this.pinging = true;
    this.run((c) => c.ping())
      .then(
        () => this.trusted(),
        () => {},
      )
      .finally(() => (this.pinging = false));
  }

  private async connected(): Promise<void> {
    try {
      await this.opts.prepare?.(this.client);
      this.prepared = true;
      this.trusted();
    } catch {
      // Try again on a fresh connection.
      this.client.disconnect(true);
    }
  }

  private trusted(): void {
    this.suspect = false;
    this.doubtSince = null;
    this.report();
  }

  private report(): void {
    if (!this.closed) this.health.report(this.name, this.usable);
  }
}
