import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Mutes } from '../services/mutes.js';
import type { Logger } from 'pino';
import { trustedProxies, type Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import { messages } from '../messages.js';
import { BUILT_PUBLIC_DIR, PUBLIC_DIR } from '../paths.js';
import type { Accounts } from '../services/accounts.js';
import type { AccountSettings } from '../services/account-settings.js';
import type { Billing } from '../services/billing.js';
import type { Metering } from '../services/metering.js';
import type { SingleSignOn } from '../services/sso.js';
import type { Discussions } from '../services/discussion.js';
import type { EmbeddedArticles } from '../services/embedded-articles.js';
import type { LiveHub } from '../services/live.js';
import type { Moderation } from '../services/moderation.js';
import type { ModeratorSearch } from '../services/moderator-search.js';
import type { Notifications } from '../services/notifications.js';
import type { Store } from '../store/store.js';
import { registerCompression } from './compression.js';
import { registerErrorHandling } from './errors.js';
import type { Readiness } from './readiness.js';
import { registerResponseTimeout } from './response-timeout.js';
import { registerSecurityHeaders } from './security-headers.js';
import { healthRoutes } from './routes/health.js';
import { createLogger, OneLinePerRequest, requestId } from './logger.js';
import { metricsRoutes, observeRequest } from './metrics.js';
import { accountApiRoutes, accountPageRoutes } from './routes/account.js';
import { adminApiRoutes, adminPageRoutes, reportRoutes } from './routes/admin.js';
import { adminSearchApiRoutes, adminSearchPageRoutes } from './routes/admin-search.js';
import { articleRoutes } from './routes/articles.js';
import { authRoutes } from './routes/auth.js';
import { billingApiRoutes, billingPageRoutes } from './routes/billing.js';
import { commentRoutes } from './routes/comments.js';
import { countsRoutes } from './routes/counts.js';
import { commentSourceRoutes } from './routes/comment-source.js';
import { embedRoutes } from './routes/embed.js';
import { followApiRoutes, followPageRoutes } from './routes/follows.js';
import { liveRoutes } from './routes/live.js';
import { mentionRoutes } from './routes/mentions.js';
import { muteApiRoutes, mutePageRoutes } from './routes/mutes.js';
import { pageRoutes } from './routes/pages.js';
import { ssoApiRoutes, ssoPageRoutes } from './routes/sso.js';
import { proxyTrust } from './limits.js';
import { registerSharedSchemas } from './schemas.js';
import { openApiOptions } from './openapi.js';
import { docsRoutes } from './routes/docs.js';
import { registerSession } from './session.js';
import { staticAssets } from './static-assets.js';

export interface AppDeps {
  config: Config;
  store: Store;
  accounts: Accounts;
  discussions: Discussions;
  hub: LiveHub;
  notifications: Notifications;
  billing: Billing;
  sso: SingleSignOn;
  metering: Metering;
  account: AccountSettings;
  moderation: Moderation;
  /** Readers muting readers (issue 16). */
  mutes: Mutes;
  /** Moderators' comment search and readers' histories. */
  search: ModeratorSearch;
  embedded: EmbeddedArticles;
  /** Starting, ready, draining or degraded: what /readyz answers. */
  readiness: Readiness;
  /** Rate-limit counters shared by several nodes (Redis); this node's own, in memory, when null. */
  rateLimitStore?: FastifyRateLimitStoreCtor | null;
  /** The process's logger (see ./logger.ts); one is made from the config when not given. */
  logger?: Logger;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    // Secrets never reach a log line: credential headers are redacted, and so are tokens in URLs.
    // Typed as Fastify's base logger so plugins and routes see the usual instance type.
    loggerInstance: (deps.logger ?? createLogger(config)) as FastifyBaseLogger,
    // A proxy's X-Request-Id carries on into our log lines and back out in the response.
    genReqId: requestId,
    logController: new OneLinePerRequest(),
    trustProxy: proxyTrust(trustedProxies(config.TRUST_PROXY)),
    bodyLimit: 256 * 1024,
    // A request must arrive whole, headers and body, within REQUEST_TIMEOUT_MS (408 otherwise), or a
    // client dripping bytes holds a socket for ever. Node applies this only until the request is in,
    // so live event streams, which run long after it, are not cut. Node checks every
    // connectionsCheckingInterval, so the cut comes at most half a timeout late.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(60_000, config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.REQUEST_TIMEOUT_MS / 2))),
    },
    // Closing drops idle keep-alive connections and lets requests in flight finish; live event
    // streams are ended by the shutdown itself (see src/shutdown.ts) with a reconnect hint.
    forceCloseConnections: 'idle',
    // Unknown fields are an error, not silently dropped, and defaults fill in omitted ones.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  registerSharedSchemas(app);
  // First, so every answer carries the id, errors and rate-limit refusals too.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    observeRequest(req.routeOptions.url, req.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  registerErrorHandling(app);
  registerResponseTimeout(app, config.RESPONSE_TIMEOUT_MS);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Checkout and the customer portal are form posts answered by a redirect to Stripe,
        // and browsers apply form-action to that redirect too.
        formAction: ["'self'", 'https://checkout.stripe.com', 'https://billing.stripe.com'],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.baseUrl.startsWith('https:'),
    // helmet's default `no-referrer` makes Chromium send `Origin: null` on our own form posts,
    // which the CSRF origin check must refuse; this policy keeps the origin for same-site posts.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await app.register(fastifySwagger, openApiOptions);
  registerSession(app, deps.accounts, config);
  await app.register(fastifyRateLimit, {
    global: true,
    ...(deps.rateLimitStore ? { store: deps.rateLimitStore } : {}),
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    // RateLimit-Limit, -Remaining and -Reset (IETF draft) instead of the X-RateLimit-* ones.
    enableDraftSpec: true,
    // After the session hook, so limits can key on the signed-in reader rather than the IP.
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) => new AppError(429, 'rate_limited', messages.errors.rate_limited(Math.ceil(ctx.ttl / 1000))),
  });
  // Answers go out compressed when the reader accepts it; static files and cached pages carry theirs ready-made.
  registerCompression(app);
  await app.register(staticAssets, { dirs: [PUBLIC_DIR, BUILT_PUBLIC_DIR] });

  await app.register(healthRoutes, { readiness: deps.readiness });
  await app.register(metricsRoutes);

  await app.register(
    async (api) => {
      await api.register(commentRoutes, { discussions: deps.discussions, config });
      await api.register(commentSourceRoutes, { store: deps.store });
      await api.register(authRoutes, { accounts: deps.accounts, config });
      await api.register(articleRoutes, { store: deps.store, discussions: deps.discussions });
      await api.register(liveRoutes, { hub: deps.hub, discussions: deps.discussions, config });
      await api.register(mentionRoutes, { discussions: deps.discussions });
      await api.register(muteApiRoutes, { mutes: deps.mutes });
      await api.register(followApiRoutes, { notifications: deps.notifications, config });
      await api.register(billingApiRoutes, { billing: deps.billing });
      await api.register(ssoApiRoutes, { sso: deps.sso, accounts: deps.accounts, config });
      await api.register(accountApiRoutes, { account: deps.account, billing: deps.billing, accounts: deps.accounts, config });
      await api.register(reportRoutes, { moderation: deps.moderation, config });
      await api.register(adminApiRoutes, { moderation: deps.moderation });
      await api.register(adminSearchApiRoutes, { search: deps.search });
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  await app.register(docsRoutes, { config, accounts: deps.accounts });
  await app.register(pageRoutes, deps);
  await app.register(billingPageRoutes, { billing: deps.billing, config, accounts: deps.accounts });
  await app.register(ssoPageRoutes, { sso: deps.sso, accounts: deps.accounts, config });
  await app.register(accountPageRoutes, {
    account: deps.account,
    billing: deps.billing,
    accounts: deps.accounts,
    config,
    mutes: deps.mutes,
    notifications: deps.notifications,
  });
  await app.register(mutePageRoutes, { mutes: deps.mutes });
  await app.register(adminPageRoutes, { moderation: deps.moderation, accounts: deps.accounts, config });
  await app.register(adminSearchPageRoutes, { search: deps.search, moderation: deps.moderation, accounts: deps.accounts, config });
  await app.register(countsRoutes, { db: deps.store.db, config });
  await app.register(embedRoutes, { config, embedded: deps.embedded, discussions: deps.discussions, accounts: deps.accounts, sso: deps.sso });
  await app.register(followPageRoutes, { notifications: deps.notifications, config, accounts: deps.accounts, store: deps.store });
  return app;
}
