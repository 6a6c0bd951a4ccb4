import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer.js';
import { createParley, type Parley } from '../../src/server.js';
import type { Clock } from '../../src/services/clock.js';
import { freshDatabase, type TestDialect } from './databases.js';

/** A clock tests can move forward. */
export class TestClock implements Clock {
  constructor(private t = Date.parse('2026-11-20T12:00:00Z')) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/** Keeps mails in memory for API tests; SMTP delivery itself is tested against a real server. */
export class CaptureMailer implements Mailer {
  sent: OutgoingMail[] = [];
  async send(m: OutgoingMail) {
    this.sent.push(m);
    return { messageId: `m${this.sent.length}` };
  }
  close() {}
  lastLink(): string {
    for (const mail of [...this.sent].reverse()) {
      const m = /https?:\/\/\S+\/auth\/verify\?token=([\w-]+)/.exec(mail.text);
      if (m) return m[1]!;
    }
    throw new Error('no sign-in link in any mail');
  }
}

export interface TestParley extends Parley {
  config: Config;
  clock: TestClock;
  mails: CaptureMailer;
  /** Signs `email` in through the real magic-link flow; returns cookie and CSRF token. */
  signIn(email: string): Promise<{ cookie: string; csrf: string }>;
  dispose(): Promise<void>;
}

/** A whole Parley on a fresh database; with `SMTP_URL` in `env` mail goes over real SMTP instead of `mails`. */
export async function startParley(dialect: TestDialect, env: Record<string, string> = {}, opts: { clock?: TestClock } = {}): Promise<TestParley> {
  const db = await freshDatabase(dialect);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CONTENT_DIR: 'tests/fixtures/content',
    RATE_LIMIT_PER_MINUTE: '100000',
    POST_LIMIT_PER_MINUTE: '100000',
    LOGIN_LIMIT_PER_HOUR: '100000',
    // Abuse limits are off unless a test turns them on (tests/api/moderation.test.ts does).
    VOTE_LIMIT_PER_MINUTE: '100000',
    REPORT_LIMIT_PER_HOUR: '100000',
    LOGIN_LIMIT_PER_EMAIL_PER_HOUR: '100000',
    NEW_ACCOUNT_SLOWDOWN_SECONDS: '0',
    // Guests' pages show each write on the next read, so tests can read right after writing;
    // tests/api/page-delivery.test.ts runs with the interval on.
    GUEST_PAGE_REFRESH_MS: '0',
    ...env,
    DATABASE_URL: db.url,
  });
  const clock = opts.clock ?? new TestClock();
  const mails = new CaptureMailer();
  // The outbox worker runs only when a test calls `worker.runOnce()`, so mail timing is exact.
  const parley = await createParley(config, { clock, mailer: env.SMTP_URL ? undefined : mails, loadContent: true, worker: false });
  const signIn = async (email: string) => {
    await parley.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email } });
    const token = mails.lastLink();
    const res = await parley.app.inject({ method: 'POST', url: '/auth/verify', payload: { token } });
    const set = res.cookies.find((c) => c.name === 'parley_session');
    if (!set) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
    const cookie = `parley_session=${set.value}`;
    const session = (await parley.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json() as { csrfToken: string };
    return { cookie, csrf: session.csrfToken };
  };
  return {
    ...parley,
    config,
    clock,
    mails,
    signIn,
    async dispose() {
      await parley.close();
      await db.drop();
    },
  };
}

export const json = (res: LightMyRequestResponse) => res.json() as Record<string, any>;
