import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { freePort, killHard, tracked } from '../support/process.js';

const SECRET = 'the-readme-example-shares-this-secret-with-parley';
const EXAMPLE = 'examples/publisher-sso.mjs';

/** The README's publisher example, run as a real process against a real Parley. */
describe("the README's single sign-on example", () => {
  let p: TestParley;
  let parley: string;
  let publisher: string;
  let child: ChildProcess;

  beforeAll(async () => {
    const port = await freePort();
    const publisherPort = await freePort();
    parley = `http://127.0.0.1:${port}`;
    publisher = `http://127.0.0.1:${publisherPort}`;
    // The example signs with the real clock.
    p = await startParley('sqlite', { SSO_SECRET: SECRET, BASE_URL: parley, EMBED_ALLOWED_ORIGINS: publisher }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    child = tracked(
      spawn(process.execPath, [EXAMPLE], {
        env: { ...process.env, PARLEY_URL: parley, PARLEY_SSO_SECRET: SECRET, PORT: String(publisherPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    for (let i = 0; i < 100 && !out.includes('publisher site on'); i++) await new Promise((r) => setTimeout(r, 100));
    if (!out.includes('publisher site on')) throw new Error(`the example did not start: ${out}`);
  });
  afterAll(async () => {
    if (child) await killHard(child);
    await p?.dispose();
  });

  it('is the code the README shows', () => {
    const readme = readFileSync('README.md', 'utf8');
    const code = readFileSync(EXAMPLE, 'utf8');
    expect(readme).toContain(`\`\`\`js\n${code}\`\`\`\n`);
  });

  it('sends a reader through its login, then to Parley signed in as a subscriber', async () => {
    const ask = `${publisher}/comments/sign-in?return=${encodeURIComponent('/articles/open-thread')}`;
    const anonymous = await fetch(ask, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/comments/sign-in?return=%2Farticles%2Fopen-thread')}`);

    const member = await fetch(ask, { redirect: 'manual', headers: { cookie: 'demo_member=1' } });
    expect(member.status).toBe(302);
    const toParley = member.headers.get('location')!;
    expect(toParley.startsWith(`${parley}/sso?token=`)).toBe(true);
    // Parley asks the reader to confirm; their browser posts the form from Parley's own page.
    const page = await fetch(toParley, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).not.toMatch(/parley_session=/);
    const html = await page.text();
    expect(html).toContain('Rosa Reader (reader@example.org)');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!.replaceAll('&amp;', '&');
    const formCookie = /parley_sso_form=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
    const landed = await fetch(`${parley}/sso`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: parley, 'sec-fetch-site': 'same-origin', cookie: `parley_sso_form=${formCookie}` },
      body: new URLSearchParams({ token: field('token'), return: field('return'), nonce: field('nonce') }),
    });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/articles/open-thread');
    const session = /parley_session=([^;]+)/.exec(landed.headers.get('set-cookie') ?? '')![1]!;
    const me = (await (await fetch(`${parley}/api/v1/session`, { headers: { cookie: `parley_session=${session}` } })).json()) as {
      viewer: { name: string; email: string; subscriber: boolean };
    };
    expect(me.viewer).toMatchObject({ name: 'Rosa Reader', email: 'reader@example.org', subscriber: true });
  });

  it('hands the embed a token for a signed-in reader and nothing for anyone else', async () => {
    expect(await (await fetch(`${publisher}/comments/token`)).text()).toBe('');
    const token = await (await fetch(`${publisher}/comments/token`, { headers: { cookie: 'demo_member=1' } })).text();
    const frame = `${parley}/embed/frame?${new URLSearchParams({ article: 'publisher-article-1', url: `${publisher}/`, title: 'An article', sso: token })}`;
    const res = await fetch(frame, { redirect: 'manual', headers: { 'sec-fetch-dest': 'iframe' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^parley_embed_session=[^;]+;.*Partitioned/);
    // The page it serves carries the snippet pointing at this Parley.
    const page = await (await fetch(`${publisher}/`)).text();
    expect(page).toContain(`<script src="${parley}/embed.js" async></script>`);
    expect(page).toContain('data-parley-sso-url="/comments/token"');
  });
});
