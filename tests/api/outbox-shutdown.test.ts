import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer.js';
import { OutboxWorker } from '../../src/services/outbox-worker.js';
import { DIALECTS } from '../support/databases.js';
import { startParley, type TestParley } from '../support/harness.js';

/** A mail server that holds the first mail until the test lets it go. */
class HeldMailer implements Mailer {
  sent: OutgoingMail[] = [];
  // Declared before the promises that assign them: a later declaration would reset them.
  private release: () => void = () => {};
  private started: () => void = () => {};
  readonly holding = new Promise<void>((resolve) => (this.started = resolve));
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  async send(m: OutgoingMail) {
    this.started();
    await this.gate;
    this.sent.push(m);
    return { messageId: `held${this.sent.length}` };
  }
  letGo() {
    this.release();
  }
  close() {}
}

const silent = { warn: () => {}, error: () => {} };

describe.each(DIALECTS)('outbox worker stopping mid-batch on %s', (dialect) => {
  let p: TestParley;
  afterEach(() => p?.dispose());

  it('hands back the mails it claimed but did not send, so another node sends them without waiting out the lease', async () => {
    p = await startParley(dialect);
    const article = (await p.store.articles.bySlug('open-thread'))!;
    for (const who of ['ann', 'bob', 'cy']) {
      const r = await p.app.inject({ method: 'POST', url: `/api/v1/articles/${article.id}/follow-by-email`, payload: { email: `${who}@example.com` } });
      expect(r.statusCode).toBe(202);
    }
    const mailer = new HeldMailer();
    const worker = new OutboxWorker(p.store, mailer, p.notifications, p.config, p.clock, silent);
    const draining = worker.runOnce();
    await mailer.holding;
    const stopping = worker.stop();
    mailer.letGo();
    await stopping;
    await draining;

    expect(mailer.sent).toHaveLength(1);
    const rows = await p.store.db.selectFrom('outbox').select(['status', 'claimed_until', 'attempts']).orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'pending', 'pending']);
    expect(rows.slice(1).map((r) => r.claimed_until)).toEqual([null, null]);
    expect(rows.slice(1).map((r) => Number(r.attempts))).toEqual([0, 0]);

    // Another node (a fresh worker) sends them at once, with the lease still far away.
    const next = new OutboxWorker(p.store, p.mails, p.notifications, p.config, p.clock, silent);
    expect(await next.runOnce()).toBe(2);
  });
});
