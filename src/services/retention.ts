import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { IDEMPOTENCY_TTL_MS } from './idempotency.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Rows per DELETE: a few milliseconds of write lock, so posts keep flowing while a backlog goes. */
export const PRUNE_BATCH = 1000;

export interface PruneReport {
  events: number;
  outbox: number;
  idempotencyKeys: number;
}

/**
 * Keeps the events log and the mail outbox from growing forever. Events only serve live clients
 * resuming a recent stream; settled mails only serve someone looking into a delivery. Every node
 * runs it; deleting what another node already deleted does no harm.
 */
export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PruneReport> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Pick<Store, 'events' | 'notifications' | 'idempotency'>,
    private readonly config: Pick<Config, 'EVENT_RETENTION_HOURS' | 'OUTBOX_RETENTION_DAYS'>,
    private readonly clock: Clock,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
    private readonly batch = PRUNE_BATCH,
  ) {}

  /** Prunes about hourly; the spread keeps several nodes (or a fleet restarted at once) apart. */
  start(everyMs = HOUR_MS): void {
    this.stopped = false;
    const schedule = () => {
      this.timer = setTimeout(tick, everyMs * (0.5 + Math.random()));
      // A pending prune is no reason to keep the process alive.
      this.timer.unref();
    };
    const tick = () => {
      if (this.stopped) return;
      void this.runOnce()
        // A full disk or a database restart: the rows wait for the next round.
        .catch((err: unknown) => this.log.warn({ err }, 'retention: pruning failed'))
        .finally(() => {
          if (!this.stopped) schedule();
        });
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  /** One round of pruning; rounds never overlap within a process. */
  runOnce(): Promise<PruneReport> {
    const next = (this.running ?? Promise.resolve(null)).catch(() => null).then(() => this.prune());
    this.running = next;
    return next;
  }

  private async prune(): Promise<PruneReport> {
    const now = this.clock.now().getTime();
    const events = await this.store.events.prune(new Date(now - this.config.EVENT_RETENTION_HOURS * HOUR_MS), this.batch);
    const outbox = await this.store.notifications.pruneOutbox(new Date(now - this.config.OUTBOX_RETENTION_DAYS * DAY_MS), this.batch);
    // A retry comes seconds or minutes after a lost answer; a day-old key will never be replayed.
    const idempotencyKeys = await this.store.idempotency.prune(new Date(now - IDEMPOTENCY_TTL_MS));
    if (events + outbox + idempotencyKeys > 0)
      this.log.info({ events, outbox, idempotencyKeys }, 'retention: pruned old events, settled mails and spent idempotency keys');
    return { events, outbox, idempotencyKeys };
  }
}
