import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createParley, type Parley } from '../../src/server.js';
import { freshDatabase } from '../support/databases.js';
import { SmtpSink, signInLink } from '../support/smtp-sink.js';

describe('sign-in by emailed link over real SMTP', () => {
  const sink = new SmtpSink();
  let p: Parley;
  beforeAll(async () => {
    const smtp = await sink.start();
    const db = await freshDatabase('sqlite');
    p = await createParley(
      loadConfig({
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        SMTP_URL: smtp,
        MAIL_FROM: 'Parley <no-reply@parley.test>',
        BASE_URL: 'https://comments.example.com',
        CONTENT_DIR: 'tests/fixtures/content',
      }),
      { loadContent: true },
    );
  });
  afterAll(async () => {
    await p?.close();
    await sink.stop();
  });

  it('delivers a one-time link in text and HTML that opens a session once', async () => {
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'Zoe@Example.com', returnTo: '/articles/open-thread#comments' },
    });
    expect(res.statusCode).toBe(202);
    const mail = await sink.waitFor('zoe@example.com');
    expect(mail.from?.text).toContain('no-reply@parley.test');
    expect(mail.subject).toContain('The Long Table');
    const link = signInLink(mail);
    expect(link.startsWith('https://comments.example.com/auth/verify?token=')).toBe(true);
    expect(mail.html).toContain(link);
    const token = new URL(link).searchParams.get('token')!;
    const first = await p.app.inject({ method: 'POST', url: '/auth/verify', payload: { token } });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/articles/open-thread#comments');
    const cookie = first.cookies.find((c) => c.name === 'parley_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBe(true);
    const again = await p.app.inject({ method: 'POST', url: '/auth/verify', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.cookies.find((c) => c.name === 'parley_session')).toBeUndefined();
  });

  it('never redirects a sign-in to another site', async () => {
    const since = sink.mails.length;
    await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'eve@example.com', returnTo: '//evil.example/x' } });
    const token = new URL(signInLink(await sink.waitFor('eve@example.com', since))).searchParams.get('token')!;
    const res = await p.app.inject({ method: 'POST', url: '/auth/verify', payload: { token } });
    expect(res.headers.location).toBe('/');
  });

  it('rejects a malformed email address with a JSON error', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'not-an-email' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation');
  });
});
