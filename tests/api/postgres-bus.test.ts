import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus, Wakeup } from '../../src/events/bus.js';
import { postgresBus } from '../../src/events/postgres-bus.js';
import { freshDatabase } from '../support/databases.js';

/*
 * The PostgreSQL bus on a real server: wake-ups reach every node that listens, and a burst
 * published in one turn of the event loop (a committed batch of posts) goes out as one NOTIFY per
 * article, naming its latest event.
 */
describe('PostgreSQL event bus', () => {
  let drop: () => Promise<void>;
  let a: EventBus;
  let b: EventBus;

  beforeAll(async () => {
    const db = await freshDatabase('postgres');
    drop = db.drop;
    a = postgresBus(db.url);
    b = postgresBus(db.url);
    for (let i = 0; i < 100 && !(a.healthy?.() && b.healthy?.()); i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  const heard = (bus: EventBus, until: (ws: Wakeup[]) => boolean) =>
    new Promise<Wakeup[]>((resolve, reject) => {
      const got: Wakeup[] = [];
      const timer = setTimeout(() => reject(new Error(`heard only ${JSON.stringify(got)}`)), 10_000);
      const off = bus.subscribe((w) => {
        got.push(w);
        if (until(got)) {
          clearTimeout(timer);
          off();
          resolve(got);
        }
      });
    });

  it('sends a burst as one wake-up per article with its latest event, and every later one too', async () => {
    expect(a.healthy?.() && b.healthy?.()).toBe(true);
    const onB = heard(b, (ws) => ws.some((w) => w.articleId === 1 && w.eventId === 9));
    await Promise.all([
      a.publish({ articleId: 1, eventId: 3 }),
      a.publish({ articleId: 2, eventId: 5 }),
      a.publish({ articleId: 1, eventId: 4 }),
      a.publish({ articleId: 2, eventId: 4 }),
    ]);
    // A later turn's wake-up is its own.
    await a.publish({ articleId: 1, eventId: 9 });
    expect(await onB).toEqual([
      { articleId: 1, eventId: 4 },
      { articleId: 2, eventId: 5 },
      { articleId: 1, eventId: 9 },
    ]);
  });
});
