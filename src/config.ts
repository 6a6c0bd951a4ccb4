import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Environment variables Parley reads, each with its default. Validated once at start. */
const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  BASE_URL: Type.String({ pattern: '^(https?://[^/]+)?$', default: '' }),
  DATABASE_URL: Type.String({ minLength: 1, default: './data/parley.db' }),
  CONTENT_DIR: Type.String({ minLength: 1, default: './content' }),
  PUBLICATION_NAME: Type.String({ minLength: 1, maxLength: 100, default: 'The Long Table' }),
  PUBLICATION_TIMEZONE: Type.String({ minLength: 1, default: 'UTC' }),
  SMTP_URL: Type.String({ pattern: '^(smtps?://.+)?$', default: '' }),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Parley <no-reply@localhost>' }),
  PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  REPLIES_PER_THREAD: Type.Integer({ minimum: 0, maximum: 100, default: 5 }),
  INDENT_DEPTH: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  EDIT_WINDOW_MINUTES: Type.Integer({ minimum: 0, maximum: 525600, default: 1440 }),
  MAX_COMMENT_LENGTH: Type.Integer({ minimum: 10, maximum: 100000, default: 10000 }),
  SESSION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 300 }),
  POST_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 10 }),
  LOGIN_LIMIT_PER_HOUR: Type.Integer({ minimum: 1, default: 10 }),
  LIVE_CONNECTS_PER_MINUTE: Type.Integer({ minimum: 1, default: 120 }),
  DIGEST_HOUR_UTC: Type.Integer({ minimum: 0, maximum: 23, default: 7 }),
  OUTBOX_LEASE_SECONDS: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
});

export type Config = Static<typeof Env> & { baseUrl: string };

export class ConfigError extends Error {}

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
    const lines = errors.map((e) => `  ${e.path.slice(1) || '(root)'}=${JSON.stringify(raw[e.path.slice(1)])}: ${e.message}`);
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const cfg = { ...(withDefaults as Static<typeof Env>), ...overrides };
  const baseUrl = cfg.BASE_URL || `http://localhost:${cfg.PORT}`;
  return { ...cfg, baseUrl, ...(overrides.baseUrl ? { baseUrl: overrides.baseUrl } : {}) };
}
