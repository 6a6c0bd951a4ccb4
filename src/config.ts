import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isIP } from 'node:net';
import { webhookKey } from './domain/webhooks.js';
import { LOCALES } from './messages/locales.js';

/** Environment variables Parley reads, each with its default. Validated once at start. */
const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  BASE_URL: Type.String({ pattern: '^(https?://[^/]+)?$', default: '' }),
  DATABASE_URL: Type.String({ minLength: 1, default: './data/parley.db' }),
  CONTENT_DIR: Type.String({ minLength: 1, default: './content' }),
  PUBLICATION_NAME: Type.String({ minLength: 1, maxLength: 100, default: 'The Long Table' }),
  PUBLICATION_TIMEZONE: Type.String({ minLength: 1, default: 'UTC' }),
  /** The language of pages, widget, mails, admin and CLI; an article's front matter `lang` overrides it for that article. */
  LOCALE: Type.Union(
    LOCALES.map((l) => Type.Literal(l)),
    { default: 'en' },
  ),
  SMTP_URL: Type.String({ pattern: '^(smtps?://.+)?$', default: '' }),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Parley <no-reply@localhost>' }),
  PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  REPLIES_PER_THREAD: Type.Integer({ minimum: 0, maximum: 100, default: 5 }),
  /** A guest's page is rendered again at most this often, however many comments arrive (src/services/page-cache.ts). */
  GUEST_PAGE_REFRESH_MS: Type.Integer({ minimum: 0, maximum: 1000, default: 250 }),
  INDENT_DEPTH: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  EDIT_WINDOW_MINUTES: Type.Integer({ minimum: 0, maximum: 525600, default: 1440 }),
  MAX_COMMENT_LENGTH: Type.Integer({ minimum: 10, maximum: 100000, default: 10000 }),
  SESSION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  /**
   * How long a node trusts a session (its reader, role, sanctions, entitlements) as it last read
   * it. Changes made on the node itself apply at once; those made on another node or by the CLI
   * within this many seconds. 0: every request reads the session afresh.
   */
  SESSION_CACHE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 5 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 300 }),
  POST_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 10 }),
  LOGIN_LIMIT_PER_HOUR: Type.Integer({ minimum: 1, default: 10 }),
  EMBED_ALLOWED_ORIGINS: Type.String({ default: '', pattern: '^(https?://[^/,\\s]+)?(,https?://[^/,\\s]+)*$' }),
  EMBED_COMMENT_POLICY: Type.Union([Type.Literal('subscribers'), Type.Literal('members'), Type.Literal('closed')], { default: 'subscribers' }),
  REDIS_URL: Type.String({ pattern: '^(rediss?://.+)?$', default: '' }),
  LIVE_CONNECTS_PER_MINUTE: Type.Integer({ minimum: 1, default: 120 }),
  DIGEST_HOUR_UTC: Type.Integer({ minimum: 0, maximum: 23, default: 7 }),
  OUTBOX_LEASE_SECONDS: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  /** Live clients resume from events this recent; an older Last-Event-ID gets a reset (reload). */
  EVENT_RETENTION_HOURS: Type.Integer({ minimum: 1, maximum: 87600, default: 72 }),
  /** Sent, skipped and failed mails are kept this long for inspection; pending ones until they settle. */
  OUTBOX_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 14 }),
  /**
   * Which `X-Forwarded-For` entries to believe: `false` (none, the default), a hop count such as
   * `1`, or the proxies' own addresses/CIDRs (`10.0.0.2,10.1.0.0/16`). `true` means one hop: trusting
   * every hop would key per-IP limits on whatever a client writes at the left of the header.
   */
  TRUST_PROXY: Type.String({ default: 'false', pattern: '^(true|false|[0-9]{1,2}|[0-9A-Za-z.:/]+( *, *[0-9A-Za-z.:/]+)*)$' }),
  /** Confirmation mails (follow by email, email change) to one address per hour, whichever route asks. */
  CONFIRM_MAILS_PER_ADDRESS_PER_HOUR: Type.Integer({ minimum: 1, default: 3 }),
  /** Live event streams open at once from one IP address. */
  LIVE_CONNECTIONS_PER_IP: Type.Integer({ minimum: 1, default: 20 }),
  /** Time a client has to send a whole request, headers and body; slower ones are cut off (408). */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 30000 }),
  // ---- paid subscriptions, SSO, metered reading (issue 3) ----
  STRIPE_SECRET_KEY: Type.String({ default: '' }),
  STRIPE_WEBHOOK_SECRET: Type.String({ default: '' }),
  STRIPE_PRICE_MONTHLY: Type.String({ default: '' }),
  STRIPE_PRICE_ANNUAL: Type.String({ default: '' }),
  /** Another Stripe API origin (stripe-mock, a test double); empty means Stripe itself. */
  STRIPE_API_URL: Type.String({ pattern: '^(https?://[^/]+)?$', default: '' }),
  PAST_DUE_GRACE_DAYS: Type.Integer({ minimum: 0, maximum: 90, default: 7 }),
  SSO_SECRET: Type.String({ default: '' }),
  SSO_JWKS_URL: Type.String({ pattern: '^(https?://.+)?$', default: '' }),
  SSO_ALG: Type.Union(
    ['HS256', 'RS256', 'ES256', 'EdDSA'].map((l) => Type.Literal(l)),
    { default: 'HS256' },
  ),
  SSO_AUDIENCE: Type.String({ default: '' }),
  SSO_ISSUER: Type.String({ default: '' }),
  /** The publisher's sign-in page; `{return}` in it becomes the Parley path to hand the reader back to. */
  SSO_LOGIN_URL: Type.String({ pattern: '^(https?://.+)?$', default: '' }),
  /** The publisher's own subscribe page, instead of Stripe Checkout; `{return}` as in SSO_LOGIN_URL. */
  SUBSCRIBE_URL: Type.String({ pattern: '^(https?://.+)?$', default: '' }),
  METER_FREE_ARTICLES: Type.Integer({ minimum: 0, maximum: 100, default: 3 }),
  METER_CRAWLERS_FULL_TEXT: Type.Boolean({ default: false }),
  SECRET_KEY: Type.String({ default: '' }),
  // ---- moderation and abuse limits (issue 6) ----
  REPORTS_TO_HIDE: Type.Integer({ minimum: 1, maximum: 1000, default: 3 }),
  DUPLICATE_WINDOW_MINUTES: Type.Integer({ minimum: 0, maximum: 10080, default: 10 }),
  NEW_ACCOUNT_HOURS: Type.Integer({ minimum: 0, maximum: 8760, default: 24 }),
  NEW_ACCOUNT_SLOWDOWN_SECONDS: Type.Integer({ minimum: 0, maximum: 86400, default: 30 }),
  VOTE_MIN_ACCOUNT_AGE_HOURS: Type.Integer({ minimum: 0, maximum: 8760, default: 24 }),
  VOTE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 60 }),
  REPORT_LIMIT_PER_HOUR: Type.Integer({ minimum: 1, default: 20 }),
  LOGIN_LIMIT_PER_EMAIL_PER_HOUR: Type.Integer({ minimum: 1, default: 5 }),
  IP_LIMIT_FACTOR: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  // ---- faults (issue 11) ----
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 5000 }),
  DATABASE_ACQUIRE_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 2000 }),
  /** PostgreSQL: prepare repeated statements once per connection; off behind a pooler that cannot keep them. */
  DATABASE_PREPARED_STATEMENTS: Type.Boolean({ default: true }),
  /** A request still unanswered after this gets 503; a backstop behind the database timeouts. */
  RESPONSE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 15000 }),
  /** On SIGTERM: how long in-flight requests may take to finish before connections are closed. */
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 600000, default: 10000 }),
  /** On SIGTERM: how long /readyz says `draining` before the node stops accepting, for load balancers to notice. */
  SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, maximum: 600000, default: 0 }),
  // ---- outbound webhooks (issue 13) ----
  /** Receivers of signed comment webhooks, comma-separated; empty sends none. */
  WEBHOOK_URLS: Type.String({ default: '', pattern: '^(https?://[^,\\s]+)?(,https?://[^,\\s]+)*$' }),
  /** The Standard Webhooks signing secret: `whsec_` and 24 to 64 random bytes in base64. */
  WEBHOOK_SECRET: Type.String({ default: '' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

export type Config = Static<typeof Env> & { baseUrl: string };

export class ConfigError extends Error {}

/** Variables whose values are secrets: an error names them, never shows them. */
const SECRET_VARIABLES = new Set(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SSO_SECRET', 'SECRET_KEY', 'WEBHOOK_SECRET']);

/** `scheme://user:password@host` loses everything before the `@`: user names can be keys too. */
export function hideCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@');
}

/** How a bad value appears in the error: secrets not at all, URLs without their credentials. */
function shownValue(key: string, value: unknown): string {
  if (value === undefined) return `${key} (not set)`;
  if (SECRET_VARIABLES.has(key)) return `${key} (value not shown)`;
  const text = String(value);
  // A bad URL may be bad in its scheme or slashes and still hold a password before its last `@`.
  if (key.endsWith('_URL') && text.includes('@')) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
    return `${key}=${JSON.stringify(`${scheme}***@${text.slice(text.lastIndexOf('@') + 1)}`)}`;
  }
  return `${key}=${JSON.stringify(text)}`;
}

/** Address groups proxy-addr knows by name. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The hop count or proxy addresses TRUST_PROXY names, as Fastify's `trustProxy` takes them (false: none). */
export function trustedProxies(value: string): false | number | string[] {
  if (value === 'false' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
}

/** Rules that tie variables together. Secrets are named, never printed. */
function relatedErrors(c: Static<typeof Env>): string[] {
  const out: string[] = [];
  if (c.SSO_SECRET && c.SSO_SECRET.length < 32) out.push('SSO_SECRET: must be at least 32 characters');
  if (c.SECRET_KEY && c.SECRET_KEY.length < 32) out.push('SECRET_KEY: must be at least 32 characters');
  if (c.SSO_JWKS_URL && c.SSO_ALG === 'HS256') out.push('SSO_ALG: set RS256, ES256 or EdDSA to verify against SSO_JWKS_URL');
  if (c.SSO_SECRET && !c.SSO_JWKS_URL && c.SSO_ALG !== 'HS256')
    out.push(`SSO_ALG=${JSON.stringify(c.SSO_ALG)}: a shared SSO_SECRET needs HS256, or set SSO_JWKS_URL`);
  if (c.SSO_SECRET && c.SSO_JWKS_URL) out.push('SSO_SECRET, SSO_JWKS_URL: set one of them, not both');
  const proxies = trustedProxies(c.TRUST_PROXY);
  const badProxy = Array.isArray(proxies) ? proxies.find((p) => !PROXY_NAMES.has(p) && isIP(p.replace(/\/[0-9]{1,3}$/, '')) === 0) : undefined;
  if (badProxy !== undefined) out.push(`TRUST_PROXY: ${JSON.stringify(badProxy)} is not a hop count, an IP address or a CIDR range`);
  if (c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET) out.push('STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY');
  if (c.STRIPE_SECRET_KEY && !c.STRIPE_PRICE_MONTHLY && !c.STRIPE_PRICE_ANNUAL)
    out.push('STRIPE_PRICE_MONTHLY, STRIPE_PRICE_ANNUAL: set at least one with STRIPE_SECRET_KEY');
  if (c.WEBHOOK_SECRET && !webhookKey(c.WEBHOOK_SECRET)) out.push('WEBHOOK_SECRET: must be whsec_ followed by 24 to 64 bytes in base64');
  if (c.WEBHOOK_URLS && !c.WEBHOOK_SECRET) out.push('WEBHOOK_SECRET: required with WEBHOOK_URLS (receivers verify every webhook)');
  return out;
}

/** Reads and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(Env.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const withDefaults = Value.Default(Env, Value.Convert(Env, raw));
  const errors = [...Value.Errors(Env, withDefaults)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.path.slice(1) ? shownValue(e.path.slice(1), raw[e.path.slice(1)]) : '(root)'}: ${e.message}`);
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const cfg = { ...(withDefaults as Static<typeof Env>), ...overrides };
  const related = relatedErrors(cfg);
  if (related.length > 0) throw new ConfigError(`Invalid configuration:\n${related.map((l) => `  ${l}`).join('\n')}`);
  const baseUrl = cfg.BASE_URL || `http://localhost:${cfg.PORT}`;
  return { ...cfg, baseUrl, ...(overrides.baseUrl ? { baseUrl: overrides.baseUrl } : {}) };
}
