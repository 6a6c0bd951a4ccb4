import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import type { Config } from './config.js';
import { inProcessBus, type EventBus } from './events/bus.js';
import { postgresBus } from './events/postgres-bus.js';
import { redisBus } from './events/redis-bus.js';
import { buildApp } from './http/app.js';
import { Readiness } from './http/readiness.js';
import { createLogger } from './http/logger.js';
import { attachMetrics, redisMetrics } from './http/metrics.js';
import { fallbackRateLimitStore } from './http/rate-limit-store.js';
import { RedisHealth, RedisLink } from './redis-link.js';
import { logMailer, smtpMailer, type Mailer } from './mail/mailer.js';
import { Accounts } from './services/accounts.js';
import { AccountSettings } from './services/account-settings.js';
import { Billing } from './services/billing.js';
import { Metering } from './services/metering.js';
import { SingleSignOn } from './services/sso.js';
import { systemClock, type Clock } from './services/clock.js';
import { loadContent } from './services/content.js';
import './messages/locales/index.js';
import { setDefaultLocale } from './messages/scope.js';
import { Discussions } from './services/discussion.js';
import { DiscussionChanges } from './services/discussion-changes.js';
import { EmbeddedArticles } from './services/embedded-articles.js';
import { LiveHub } from './services/live.js';
import { Moderation } from './services/moderation.js';
import { ModeratorSearch } from './services/moderator-search.js';
import { editRules, ModerationRules, postingRules } from './services/posting/index.js';
import { Mutes } from './services/mutes.js';
import { Notifications } from './services/notifications.js';
import { OutboxWorker } from './services/outbox-worker.js';
import { WebhookOutbox, WebhookSender } from './services/webhooks.js';
import { Retention } from './services/retention.js';
import { connect, type Connection } from './store/connect.js';
import { storageFault } from './store/faults.js';
import { migrate } from './store/migrate.js';
import { oldestDueMailAt, pendingMailCount } from './store/outbox-stats.js';
import { Store } from './store/store.js';

export interface Parley {
  app: FastifyInstance;
  store: Store;
  accounts: Accounts;
  discussions: Discussions;
  moderation: Moderation;
  mailer: Mailer;
  bus: EventBus;
  notifications: Notifications;
  worker: OutboxWorker;
  retention: Retention;
  readiness: Readiness;
  close(): Promise<void>;
}

/**
 * For start-up writes a node can do without: on a full disk it logs the cause and starts anyway,
 * serving reads and answering writes with 507 until space is freed. Any other error still stops it.
 */
export function tolerateFullStorage(log: Pick<pino.Logger, 'error'>, skipped: string): (err: unknown) => void {
  return (err) => {
    if (storageFault(err) !== 'full') throw err;
    log.error({ err }, `storage full at start: ${skipped}; serving reads, writes fail until space is freed`);
  };
}

/** The composition root: opens the database, brings its schema up to date and wires the services. */
export async function createParley(config: Config, opts: { clock?: Clock; mailer?: Mailer; loadContent?: boolean; worker?: boolean } = {}): Promise<Parley> {
  const clock = opts.clock ?? systemClock;
  // The one logger: Fastify's request logs are its children, so services log with the same redaction.
  // One language per process: pages, mails, admin and API messages speak LOCALE unless an article says otherwise.
  setDefaultLocale(config.LOCALE);
  const log = createLogger(config);
  const conn: Connection = connect(config.DATABASE_URL, {
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    acquireTimeoutMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    onConnectionError: (err) => log.warn({ code: (err as { code?: string }).code, reason: err.message }, 'database connection lost; the pool will reconnect'),
  });
  await migrate(conn);
  const store = new Store(conn.db, conn.dialect);
  const mailer = opts.mailer ?? (config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : logMailer(log));
  const accounts = new Accounts(store, mailer, config, clock);
  const busError = (err: Error) => log.warn({ err }, 'event bus connection lost');
  // With Redis, wake-ups and rate-limit counters go through it, so every node counts against the
  // same limits. While it is away each node counts on its own and polls the events log instead.
  const redisHealth = config.REDIS_URL ? new RedisHealth(log, redisMetrics()) : null;
  const bus = redisHealth
    ? redisBus(config.REDIS_URL, redisHealth, log)
    : conn.dialect === 'postgres'
      ? postgresBus(config.DATABASE_URL, busError)
      : inProcessBus();
  const limitsLink = redisHealth ? new RedisLink(config.REDIS_URL, 'limits', redisHealth, log) : null;
  const rateLimitStore = limitsLink ? fallbackRateLimitStore(limitsLink, () => redisHealth!.fellBack('rate_limit')) : null;
  const notifications = new Notifications(store, config, clock);
  const moderationRules = new ModerationRules(store);
  const changes = new DiscussionChanges({ store, bus, clock, webhooks: new WebhookOutbox(config) });
  const moderation = new Moderation({ store, config, clock, changes, rules: moderationRules, onFeatured: [notifications.onCommentFeatured] });
  const discussions = new Discussions({
    store,
    accounts,
    limits: config,
    clock,
    bus,
    changes,
    rules: postingRules(config, moderationRules),
    editRules: editRules(moderationRules),
    onCreated: [notifications.onCommentCreated],
    moderationRules,
  });
  const worker = new OutboxWorker(store, mailer, notifications, config, clock, log, new WebhookSender(config, () => clock.now()));
  if (opts.worker !== false) worker.start();
  const retention = new Retention(store, config, clock, log);
  if (opts.worker !== false) retention.start();
  if (opts.loadContent) await loadContent(config.CONTENT_DIR, store, clock).catch(tolerateFullStorage(log, 'the content folder was not loaded'));
  const hub = new LiveHub(store, discussions, bus);
  const billing = new Billing(store, accounts, config, clock, log);
  const sso = new SingleSignOn(store, accounts, config, clock);
  const metering = new Metering(store, config, clock);
  // The meter's shared key is stored now rather than at the first guest's page, which would
  // otherwise be a write, refused on a full disk (tests/faults/disk-full.test.ts met it).
  await metering.secret().catch(tolerateFullStorage(log, "the meter's key was not stored"));
  const account = new AccountSettings({ store, accounts, mailer, changes, config, clock });
  const readiness = new Readiness();
  readiness.addCheck(
    'database',
    async () => {
      await store.ping();
      return 'ok';
    },
    { critical: true },
  );
  readiness.addCheck('bus', () => ((bus.healthy?.() ?? true) ? 'ok' : 'reconnecting'), { critical: false });
  const embedded = new EmbeddedArticles(store, config, clock);
  const app = await buildApp({
    config,
    store,
    accounts,
    discussions,
    hub,
    notifications,
    billing,
    sso,
    metering,
    account,
    moderation,
    mutes: new Mutes(store, clock),
    search: new ModeratorSearch({ store, clock }),
    embedded,
    rateLimitStore,
    readiness,
    logger: log,
  });
  const detachMetrics = attachMetrics({
    liveListeners: () => hub.listenerCount,
    pendingMails: () => pendingMailCount(conn.db),
    oldestDueMailAgeSeconds: async () => {
      const now = clock.now();
      const at = await oldestDueMailAt(conn.db, now);
      return at === null ? 0 : (now.getTime() - at) / 1000;
    },
    mailFailures: () => worker.failures,
    databasePool: () => conn.poolStats?.() ?? null,
  });
  readiness.phase = 'ready';
  return {
    app,
    store,
    accounts,
    discussions,
    moderation,
    mailer,
    bus,
    notifications,
    worker,
    retention,
    readiness,
    /**
     * Graceful: readiness says draining, the server stops accepting, live streams end with a
     * reconnect hint, requests in flight finish (up to SHUTDOWN_GRACE_MS, then their connections
     * are closed), and the outbox worker hands back mails it claimed but did not send.
     */
    async close() {
      readiness.phase = 'draining';
      detachMetrics();
      const stopWorker = worker.stop();
      const cut = setTimeout(() => app.server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
      await app.close();
      clearTimeout(cut);
      await stopWorker;
      await store.settled();
      hub.close();
      discussions.close();
      await bus.close();
      await limitsLink?.close();
      await retention.stop();
      mailer.close();
      await conn.close();
    },
  };
}
