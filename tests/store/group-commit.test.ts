import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, SQLITE_CACHE_KIB, type Connection } from '../../src/store/connect.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';

/*
 * Group commit on each database: writes queued at once share one transaction; one that fails
 * takes back only its own rows (the batch runs again with a savepoint for each write); a commit that fails answers every write of its batch with that
 * failure, so nothing is acknowledged that was not committed. The commit failure is real: a
 * deferred foreign key, which the database checks only at COMMIT.
 */
describe.each(DIALECTS)('group commit on %s', (dialect) => {
  let conn: Connection;
  let store: Store;
  let drop: () => Promise<void>;
  let commits = 0;
  let group: GroupCommit<Store>;

  const rows = async () => (await sql<{ v: string }>`select v from gc_rows order by v`.execute(store.db)).rows.map((r) => r.v);
  const put = (tx: Store, v: string) => sql`insert into gc_rows (v) values (${v})`.execute(tx.db);
  /** A row the deferred foreign key refuses when the transaction commits, not when it is written. */
  const poison = (tx: Store) => sql`insert into gc_child (ref) values (-1)`.execute(tx.db);

  beforeAll(async () => {
    const db = await freshDatabase(dialect);
    drop = db.drop;
    conn = connect(db.url);
    await migrate(conn);
    store = new Store(conn.db, conn.dialect);
    await sql`create table gc_rows (v text primary key)`.execute(store.db);
    await sql`create table gc_parent (id integer primary key)`.execute(store.db);
    await sql`create table gc_child (ref integer references gc_parent (id) deferrable initially deferred)`.execute(store.db);
    // Counted real transactions: the store's own.
    group = new GroupCommit<Store>((work) => {
      commits++;
      return store.transaction(work);
    });
  });
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  it.runIf(dialect === 'sqlite')('shares commits that still sync: SQLite keeps synchronous=FULL in WAL mode', async () => {
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous).toBe(2);
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db)).rows[0]?.journal_mode).toBe('wal');
  });

  it.runIf(dialect === 'sqlite')('gives SQLite a page cache of 64 MB, not its 2 MB default, for large threads', async () => {
    expect((await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db)).rows[0]?.cache_size).toBe(-SQLITE_CACHE_KIB);
    expect(SQLITE_CACHE_KIB).toBe(65536);
  });

  it('runs writes queued at once in one transaction and answers each with its own result', async () => {
    const before = commits;
    const answers = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5'].map((v) => group.run('lane', async (tx) => (await put(tx, v), v.toUpperCase()))));
    expect(answers).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(commits - before).toBe(1);
    expect(await rows()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('takes back only the failing write: its rows go, its error is its own, the others commit', async () => {
    const before = commits;
    const settled = await Promise.allSettled([
      group.run('lane', (tx) => put(tx, 'b1')),
      // Writes a row, then breaks a constraint: both are undone, within its savepoint only.
      group.run('lane', async (tx) => {
        await put(tx, 'b2');
        await put(tx, 'a1');
      }),
      group.run('lane', async () => {
        throw new Error('refused by a rule');
      }),
      group.run('lane', (tx) => put(tx, 'b4')),
    ]);
    // Two runs of the batch: the first, without savepoints, is rolled back by the failure; the
    // second gives each write its own savepoint.
    expect(commits - before).toBe(2);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/unique|duplicate/i);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/refused by a rule/);
    expect(await rows()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b4']);
  });

  it('acknowledges nothing of a batch whose COMMIT fails: every write gets the failure, none is stored', async () => {
    const before = commits;
    const settled = await Promise.allSettled([
      group.run('lane', (tx) => put(tx, 'c1')),
      group.run('lane', async (tx) => {
        await put(tx, 'c2');
        await poison(tx);
      }),
      group.run('lane', (tx) => put(tx, 'c3')),
    ]);
    expect(commits - before).toBe(1);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const s of settled) expect(String((s as PromiseRejectedResult).reason)).toMatch(/foreign key/i);
    expect((await rows()).filter((v) => v.startsWith('c'))).toEqual([]);
    // The lane goes on: the next write commits in a transaction of its own.
    await group.run('lane', (tx) => put(tx, 'c4'));
    expect((await rows()).filter((v) => v.startsWith('c'))).toEqual(['c4']);
  });

  it('tells a failed write its error only once the batch it ran in has committed', async () => {
    const order: string[] = [];
    const failing = group.run('lane', async () => {
      throw new Error('refused');
    });
    const later = group.run('lane', async (tx) => {
      await put(tx, 'd1');
      order.push('second write done');
    });
    await failing.catch(() => order.push('first refused'));
    await later;
    // Had the refusal been sent at once, it would come before the second write ran.
    expect(order).toEqual(['second write done', 'first refused']);
  });

  it('starts a new transaction as soon as the previous commit returns, taking what queued meanwhile', async () => {
    const before = commits;
    const first = group.run('lane', (tx) => put(tx, 'e0'));
    // Queued while the first batch runs: they go together in the next one, not one each.
    await new Promise((r) => setImmediate(r));
    const rest = ['e1', 'e2', 'e3'].map((v) => group.run('lane', (tx) => put(tx, v)));
    await Promise.all([first, ...rest]);
    expect(commits - before).toBeLessThanOrEqual(2);
    expect((await rows()).filter((v) => v.startsWith('e'))).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it(
    dialect === 'sqlite'
      ? "queues another article's write behind a batch in progress (one writer)"
      : "runs another article's write beside a batch in progress (a lane per article)",
    async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const first = store.grouped(1, async (tx) => {
        started();
        await gate;
        await put(tx, 'g1');
      });
      await running;
      let secondDone = false;
      const second = store.grouped(2, (tx) => put(tx, 'g2')).then(() => (secondDone = true));
      for (let waited = 0; !secondDone && waited < (dialect === 'sqlite' ? 300 : 10_000); waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(secondDone).toBe(dialect === 'postgres');
      release();
      await Promise.all([first, second]);
      expect((await rows()).filter((v) => v.startsWith('g'))).toEqual(['g1', 'g2']);
    },
  );

  it('settles once every queued write is committed, those queued meanwhile too (what a shutdown waits for)', async () => {
    const done: string[] = [];
    const first = ['s1', 's2'].map((v) => group.run('lane', (tx) => put(tx, v)).then(() => done.push(v)));
    // Queued while the first batch is being written.
    const later = group.run('lane', async (tx) => {
      await put(tx, 's3');
      void group.run('lane', (t2) => put(t2, 's4')).then(() => done.push('s4'));
    });
    await group.settled();
    expect(done.sort()).toEqual(['s1', 's2', 's4']);
    expect((await rows()).filter((v) => v.startsWith('s'))).toEqual(['s1', 's2', 's3', 's4']);
    await Promise.all([...first, later]);
  });

  it('keeps at most the batch limit in one transaction', async () => {
    const small = new GroupCommit<Store>((work) => {
      commits++;
      return store.transaction(work);
    }, 4);
    const before = commits;
    await Promise.all(Array.from({ length: 10 }, (_, i) => small.run('lane', (tx) => put(tx, `f${String(i).padStart(2, '0')}`))));
    expect(commits - before).toBe(3);
    expect((await rows()).filter((v) => v.startsWith('f'))).toHaveLength(10);
  });

  describe('with writes of different keys side by side (as on PostgreSQL)', () => {
    const sideBySide = () =>
      new GroupCommit<Store>(
        (work) => {
          commits++;
          return store.transaction(work);
        },
        undefined,
        undefined,
        undefined,
        true,
      );
    const tick = () => new Promise((r) => setTimeout(r, 20));

    it("runs different keys' writes at once, and one key's one after another, in order", async () => {
      const group = sideBySide();
      const log: string[] = [];
      const write = (key: number, v: string) =>
        group.run(
          'lane',
          async (tx) => {
            log.push(`start ${v}`);
            await tick();
            await put(tx, v);
            log.push(`end ${v}`);
          },
          key,
        );
      const before = commits;
      await Promise.all([write(1, 'h1'), write(2, 'h2'), write(1, 'h3')]);
      expect(commits - before).toBe(1);
      // h1 and h2 overlap; h3, the same key as h1, starts only after h1 has ended.
      expect(log.indexOf('start h2')).toBeLessThan(log.indexOf('end h1'));
      expect(log.indexOf('start h3')).toBeGreaterThan(log.indexOf('end h1'));
      expect((await rows()).filter((v) => v.startsWith('h'))).toEqual(['h1', 'h2', 'h3']);
    });

    it('lets every write of a wave stop before a failure sends the batch round again: no write runs twice at once', async () => {
      const group = sideBySide();
      const log: string[] = [];
      const before = commits;
      const settled = await Promise.allSettled([
        group.run(
          'lane',
          async () => {
            throw new Error('refused by a rule');
          },
          1,
        ),
        // Still on its way to its write when the other fails.
        group.run(
          'lane',
          async (tx) => {
            log.push('start');
            try {
              await tick();
              await put(tx, 'i1');
            } finally {
              log.push('end');
            }
          },
          2,
        ),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/refused by a rule/);
      expect(commits - before).toBe(2);
      // Its first run ended before its second (isolated) run began.
      expect(log).toEqual(['start', 'end', 'start', 'end']);
      expect((await rows()).filter((v) => v.startsWith('i'))).toEqual(['i1']);
    });
  });
});
