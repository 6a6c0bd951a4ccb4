import { builtCli } from '../support/process.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJson } from '../../src/services/export.js';
import { importDisqus } from '../../src/services/import/disqus.js';
import { importParley } from '../../src/services/import/parley.js';
import { progressBar } from '../../src/services/import/progress.js';
import { importWordPress } from '../../src/services/import/wordpress.js';
import { ImportError } from '../../src/services/import/xml.js';
import { connect, type Connection } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { Store, blankArticle } from '../../src/store/store.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const FIXTURES = 'tests/fixtures/import';
const dir = mkdtempSync(join(tmpdir(), 'parley-import-'));
let n = 0;
const tmp = (name: string) => join(dir, `${++n}-${name}`);

/** The whole database as its export, the one view of "everything" both dialects share. */
async function snapshot(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<string> {
  const file = tmp('snapshot.ndjson');
  await exportJson(db, dialect, file);
  return readFileSync(file, 'utf8');
}

const sortedLines = (s: string) => s.split('\n').filter(Boolean).sort();

/** Counters recomputed from the rows: every article's visible comments and every thread's shown replies. */
async function expectCountersRight(db: Kysely<Database>): Promise<void> {
  const articles = await sql<{ id: number; comment_count: number; actual: number }>`
    select a.id, a.comment_count, (select count(*) from comments c where c.article_id = a.id and c.status = 'visible') as actual from articles a`.execute(db);
  for (const a of articles.rows) expect({ id: Number(a.id), count: Number(a.comment_count) }).toEqual({ id: Number(a.id), count: Number(a.actual) });
  const roots = await sql<{ id: number; reply_count: number; actual: number }>`
    select r.id, r.reply_count, (select count(*) from comments c where c.root_id = r.id and c.status in ('visible', 'deleted')) as actual from comments r where r.parent_id is null`.execute(
    db,
  );
  for (const r of roots.rows) expect({ id: Number(r.id), replies: Number(r.reply_count) }).toEqual({ id: Number(r.id), replies: Number(r.actual) });
}

async function byImportId(db: Kysely<Database>, source: string, id: string) {
  return db.selectFrom('comments').selectAll().where('import_source', '=', source).where('import_id', '=', id).executeTakeFirstOrThrow();
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli(), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', BASE_URL: 'http://localhost:3000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(DIALECTS)('import and export on %s', (dialect) => {
  let p: TestParley;
  let db: Kysely<Database>;
  let existingArticleId: number;

  beforeAll(async () => {
    p = await startParley(dialect);
    db = p.store.db;
    existingArticleId = (
      await p.store.articles.upsert(
        blankArticle({
          slug: 'existing-story',
          url: 'https://news.example.com/existing-story',
          title: 'Existing',
          publishedAt: new Date('2024-10-01T00:00:00Z'),
          body: 'Body.',
        }),
        p.clock.now(),
      )
    ).id;
    await p.accounts.grant('member@example.com', null);
  });
  afterAll(() => p?.dispose());

  describe('Disqus', () => {
    it('imports threads, replies, authors and times; skips spam and deleted posts and counts them', async () => {
      const report = await importDisqus(db, `${FIXTURES}/disqus.xml`, { now: p.clock.now() });
      expect(report).toMatchObject({
        comments: 8,
        placeholders: 1,
        duplicates: 0,
        orphans: 0,
        skipped: { spam: 1, deleted: 1, empty: 1, noThread: 1, trash: 0, pingback: 0, other: 0 },
        articlesCreated: 1,
        articlesMatched: 1,
        usersMatched: 0,
        truncated: 0,
      });

      // Articles: matched by URL, or created with a slug from the URL's path; pages nobody commented on are not created.
      const created = (await p.store.articles.bySlug('night-trains-are-back'))!;
      expect(created).toMatchObject({
        url: 'https://news.example.com/2024/11/night-trains-are-back/',
        title: 'Night trains & sleepers are back',
        commentPolicy: 'subscribers',
      });
      expect(created.publishedAt.toISOString()).toBe('2024-11-10T17:00:00.000Z');
      expect(await p.store.articles.bySlug('no-comments-here')).toBeNull();
      expect((await byImportId(db, 'disqus', '5009')).article_id).toBe(existingArticleId);

      // The tree: 5001 ← 5002 ← 5003 ← 5012, all in 5001's thread, with their own times.
      const c1 = await byImportId(db, 'disqus', '5001');
      const c2 = await byImportId(db, 'disqus', '5002');
      const c3 = await byImportId(db, 'disqus', '5003');
      const c12 = await byImportId(db, 'disqus', '5012');
      expect([c1.parent_id, c1.root_id, c1.depth]).toEqual([null, null, 0]);
      expect([c2.parent_id, c2.root_id, c2.depth].map((x) => (x === null ? null : Number(x)))).toEqual([c1.id, c1.id, 1]);
      expect([c3.parent_id, c3.root_id, c3.depth].map((x) => (x === null ? null : Number(x)))).toEqual([c2.id, c1.id, 2]);
      expect([Number(c12.parent_id), Number(c12.root_id), c12.depth]).toEqual([c3.id, c1.id, 3]);
      expect(new Date(Number(c1.created_at)).toISOString()).toBe('2024-11-10T18:00:00.000Z');

      // HTML became the Markdown subset, then the same safe HTML as a typed comment; every character survived.
      expect(c1.body_src).toBe('Hello **world** — ünïcödé 👋🏽 & *entities* <3\n\n日本語のコメント · العربية');
      expect(c1.body_html).toContain('<strong>world</strong>');
      expect(c1.body_html).toContain('&lt;3');
      expect(c2.body_src).toBe('A reply with a [link](https://example.org/story).');
      expect(c2.body_html).toContain('<a href="https://example.org/story" rel="nofollow ugc noopener">link</a>');
      expect(c3.body_html).toContain('<blockquote>');
      expect(c3.body_html).toContain('<code>a*b</code>');
      expect((await byImportId(db, 'disqus', '5009')).body_src).toBe('Escaped *HTML* without CDATA & a tab here');
      const revisions = await db.selectFrom('comment_revisions').selectAll().where('comment_id', '=', c1.id).execute();
      expect(revisions.map((r) => r.body_src)).toEqual([c1.body_src]);

      // Spam is gone; the deleted post that has a reply stays as a placeholder, so the reply keeps its place.
      expect(await db.selectFrom('comments').select('id').where('import_id', '=', '5004').executeTakeFirst()).toBeUndefined();
      const deleted = await byImportId(db, 'disqus', '5005');
      expect(deleted).toMatchObject({ status: 'deleted', body_src: '', body_html: '' });
      expect(Number((await byImportId(db, 'disqus', '5006')).parent_id)).toBe(deleted.id);

      // A reply listed before its parent found it.
      expect(Number((await byImportId(db, 'disqus', '5007')).parent_id)).toBe((await byImportId(db, 'disqus', '5008')).id);

      // Authors: imported authors under the name the file gives, never an account found by the
      // file's (unchecked) address; their own addresses cannot receive mail.
      const authorOf = async (c: { author_id: number }) => db.selectFrom('users').selectAll().where('id', '=', Number(c.author_id)).executeTakeFirstOrThrow();
      expect(await authorOf(c1)).toMatchObject({
        display_name: 'Ada 🚂 Lovelace',
        email: expect.stringMatching(/^ada-lovelace-[0-9a-f]{20}@disqus\.import\.invalid$/),
      });
      expect((await authorOf(c3)).display_name).toBe('Ada Lovelace');
      expect(await p.store.users.byEmail('ada@example.com')).toBeNull();
      const member = await authorOf(await byImportId(db, 'disqus', '5009'));
      expect(member.id).not.toBe((await p.store.users.byEmail('member@example.com'))!.id);
      expect(member.display_name).toBe('Existing Member');
      expect(Number((await byImportId(db, 'disqus', '5006')).author_id)).toBe(Number(c2.author_id));
      const dave = await authorOf(await byImportId(db, 'disqus', '5008'));
      expect(dave.email).toMatch(/^dave-[0-9a-f]{20}@disqus\.import\.invalid$/);
      expect(dave.display_name).toBe('Dave');

      await expectCountersRight(db);
      expect((await p.store.articles.byId(created.id))!.commentCount).toBe(7);
      expect((await p.store.comments.byId(c1.id))!.replyCount).toBe(3);
    });

    it('shows the imported discussion as readers see any other', async () => {
      const article = (await p.store.articles.bySlug('night-trains-are-back'))!;
      const page = await p.discussions.page(article.id, 'oldest', undefined, null);
      const first = page.threads[0]!;
      expect(first.comment.bodyHtml).toContain('👋🏽');
      expect(
        first.replies.map((r) =>
          r.bodyHtml
            .replace(/<[^>]+>/g, '')
            .trim()
            .slice(0, 20),
        ),
      ).toEqual(['A reply with a link.', 'A reply with a link.', 'Deep reply, third le']);
      expect(page.threads.map((t) => t.comment.status)).toEqual(['visible', 'deleted', 'visible']);
      const res = await p.app.inject({ method: 'GET', url: `/api/v1/articles/${article.id}/comments?sort=oldest` });
      expect(res.statusCode).toBe(200);
    });

    it('signs the address an export names in to an account of its own, not into the imported comments', async () => {
      const imported = Number((await byImportId(db, 'disqus', '5002')).author_id);
      const s = await p.signIn('bob@example.com');
      const session = json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } }));
      expect(session.viewer.id).not.toBe(imported);
    });

    it('adds nothing when the same file is imported again', async () => {
      const before = await snapshot(db, dialect);
      const report = await importDisqus(db, `${FIXTURES}/disqus.xml`, { now: p.clock.now() });
      expect(report).toMatchObject({ comments: 0, placeholders: 0, duplicates: 8, articlesCreated: 0, usersCreated: 0 });
      expect(await snapshot(db, dialect)).toBe(before);
    });

    it('keeps what it left out where memory does not fill, and still answers replies to it', async () => {
      // More spam than the importer keeps at hand, then replies to the first and the last of it.
      const spam = Array.from(
        { length: 1500 },
        (_, i) =>
          `<post dsq:id="s${i}"><message>Buy now ${i}</message><createdAt>2024-05-01T10:00:00Z</createdAt><isSpam>true</isSpam><author><email>spam@example.com</email><name>Spam</name></author><thread dsq:id="th-spam"/></post>`,
      );
      const reply = (id: string, parent: string) =>
        `<post dsq:id="${id}"><message>Answering ${parent}</message><createdAt>2024-05-02T10:00:00Z</createdAt><author><name>Replier</name></author><thread dsq:id="th-spam"/><parent dsq:id="${parent}"/></post>`;
      const xml = `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="th-spam"><link>https://news.example.com/spam-thread/</link><title>Spam</title></thread>\n${spam.join('\n')}\n${reply('r-first', 's0')}\n${reply('r-last', 's1499')}\n</disqus>\n`;
      const spamFile = tmp('spam.xml');
      writeFileSync(spamFile, xml);
      const report = await importDisqus(db, spamFile, { now: p.clock.now() });
      expect(report).toMatchObject({ comments: 2, placeholders: 2, orphans: 0, skipped: { spam: 1500 } });
      for (const [id, parent] of [
        ['r-first', 's0'],
        ['r-last', 's1499'],
      ]) {
        const c = await byImportId(db, 'disqus', id!);
        const placeholder = await byImportId(db, 'disqus', parent!);
        expect(placeholder.status).toBe('deleted');
        expect(Number(c.parent_id)).toBe(placeholder.id);
      }
    });

    it('reads a file in ISO-8859-1 as declared', async () => {
      const report = await importDisqus(db, `${FIXTURES}/disqus-latin1.xml`, { now: p.clock.now() });
      expect(report.comments).toBe(1);
      const c = await byImportId(db, 'disqus', '6001');
      expect(c.body_src).toBe('Déjà vu at the café, £5 a cup ± tips.');
      expect((await db.selectFrom('users').select('display_name').where('id', '=', Number(c.author_id)).executeTakeFirstOrThrow()).display_name).toBe(
        'José Muñoz',
      );
      expect((await p.store.articles.bySlug('cafe-culture'))!.title).toBe('Café culture » naïve');
    });

    it('stops a malformed file at its line, with the reason, and leaves the database as it was', async () => {
      const before = await snapshot(db, dialect);
      const err = await importDisqus(db, `${FIXTURES}/disqus-malformed.xml`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).line).toBe(26);
      expect((err as ImportError).message).toMatch(/line 26: .*close tag/i);
      expect(await snapshot(db, dialect)).toBe(before);
      expect(await p.store.users.byEmail('first@example.com')).toBeNull();
    });

    it('refuses invalid bytes, unreadable dates and files of another kind, each at its line', async () => {
      const before = await snapshot(db, dialect);
      const head =
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n<thread dsq:id="1"><link>https://x.example/a</link><title>A</title></thread>\n';
      const post = (body: string, created: string) =>
        `<post dsq:id="p1"><message>${body}</message><createdAt>${created}</createdAt><author><email>z@example.com</email><name>Z</name></author><thread dsq:id="1"/></post>\n`;
      const badBytes = tmp('bad-bytes.xml');
      writeFileSync(
        badBytes,
        Buffer.concat([
          Buffer.from(head),
          Buffer.from('<post dsq:id="p1"><message>caf'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('</message></post>\n</disqus>\n'),
        ]),
      );
      const e1 = (await importDisqus(db, badBytes).catch((e: unknown) => e)) as ImportError;
      expect(e1).toBeInstanceOf(ImportError);
      expect(e1.message).toMatch(/line 4: .*not valid utf-8/i);

      const badDate = tmp('bad-date.xml');
      writeFileSync(badDate, `${head}${post('fine', '2024-01-01T10:00:00Z')}\n${post('late', 'yesterday')}</disqus>\n`);
      const e2 = (await importDisqus(db, badDate).catch((e: unknown) => e)) as ImportError;
      expect(e2.message).toMatch(/line 6: .*"yesterday"/);

      const e3 = (await importDisqus(db, `${FIXTURES}/wordpress.xml`).catch((e: unknown) => e)) as ImportError;
      expect(e3.message).toMatch(/not a Disqus export/);
      const e4 = (await importWordPress(db, `${FIXTURES}/disqus.xml`).catch((e: unknown) => e)) as ImportError;
      expect(e4.message).toMatch(/not a WordPress export/);
      expect(await snapshot(db, dialect)).toBe(before);
    });
  });

  describe('WordPress', () => {
    it('imports comments with wpDiscuz votes, sticky and closed threads; holds unapproved ones; skips spam, trash and pingbacks', async () => {
      const report = await importWordPress(db, `${FIXTURES}/wordpress.xml`, { now: p.clock.now() });
      expect(report).toMatchObject({
        comments: 7,
        pending: 1,
        placeholders: 1,
        duplicates: 0,
        orphans: 0,
        truncated: 0,
        skipped: { spam: 1, trash: 1, pingback: 1, deleted: 0, other: 0 },
        articlesCreated: 2,
      });

      const article = (await p.store.articles.bySlug('bridges-we-regret'))!;
      expect(article).toMatchObject({ url: 'https://blog.example.com/2023/03/bridges/', title: 'Bridges we should not have built' });
      expect(article.publishedAt.toISOString()).toBe('2023-03-01T09:00:00.000Z');
      expect(await p.store.articles.bySlug('picture')).toBeNull();
      // A page whose GMT date is zero falls back on its local date.
      expect((await p.store.articles.bySlug('about-us'))!.publishedAt.toISOString()).toBe('2022-01-01T00:00:00.000Z');
      expect(new Date(Number((await byImportId(db, 'wordpress', 'blog.example.com/12/30')).created_at)).toISOString()).toBe('2022-02-02T12:00:00.000Z');

      const sticky = await byImportId(db, 'wordpress', 'blog.example.com/10/21');
      expect(sticky).toMatchObject({ up: 5, down: 2, score: 3, rank_score: 3, pinned: 1, status: 'visible' });
      // wpDiscuz's edit time; the file names no editor, so the author made the edit (`Last edited … by Ines Varga`).
      expect(new Date(Number(sticky.edited_at)).toISOString()).toBe('2023-03-01T11:00:00.000Z');
      expect(Number(sticky.edited_by)).toBe(Number(sticky.author_id));
      const [stickyView] = await p.discussions.publicViews([Number(sticky.id)]).then((m) => [...m.values()]);
      expect(stickyView).toMatchObject({ editedBy: 'Ines Varga', author: { name: 'Ines Varga' } });

      // WordPress keeps line breaks in stored comments: a newline breaks the line, a blank line starts a paragraph.
      expect(sticky.body_src).toBe('The **Tay Bridge** comes to mind.\nTwice, in fact.\n\nAnd the Tacoma Narrows — “Galloping Gertie”.');
      expect(sticky.body_html).toBe(
        '<p>The <strong>Tay Bridge</strong> comes to mind.<br />\nTwice, in fact.</p>\n<p>And the Tacoma Narrows — “Galloping Gertie”.</p>\n',
      );

      const reply = await byImportId(db, 'wordpress', 'blog.example.com/10/22');
      expect(reply).toMatchObject({ up: 0, down: 2, score: -2, depth: 1 });
      expect(Number(reply.parent_id)).toBe(sticky.id);
      expect(reply.body_src).toBe('I’m not so sure. 2 \\* 3 = 6 and file_name_here stays.');
      expect(reply.body_html).toContain('2 * 3 = 6 and file_name_here stays.');
      const obrien = await db.selectFrom('users').selectAll().where('id', '=', Number(reply.author_id)).executeTakeFirstOrThrow();
      expect(obrien.display_name).toBe("O'Brien & Sons");
      expect(obrien.email).toMatch(/@wordpress\.import\.invalid$/);

      expect(await byImportId(db, 'wordpress', 'blog.example.com/10/23')).toMatchObject({ status: 'pending' });
      expect((await byImportId(db, 'wordpress', 'blog.example.com/10/25')).status).toBe('deleted');
      expect(Number((await byImportId(db, 'wordpress', 'blog.example.com/10/26')).parent_id)).toBe(
        (await byImportId(db, 'wordpress', 'blog.example.com/10/25')).id,
      );
      const late = await byImportId(db, 'wordpress', 'blog.example.com/10/29');
      expect(late).toMatchObject({ locked: 1, body_src: '- first point\n- second point' });
      expect(late.body_html).toContain('<ul>\n<li>first point</li>');
      expect(Number((await byImportId(db, 'wordpress', 'blog.example.com/10/28')).parent_id)).toBe(late.id);
      // Ines, with her address in two spellings, is one reader.
      expect(Number((await byImportId(db, 'wordpress', 'blog.example.com/10/26')).author_id)).toBe(Number(sticky.author_id));

      // The held comment waits in the moderators' queue.
      const pending = await p.store.moderation.pendingQueue(0, 50);
      expect(pending.map((c) => c.bodySrc)).toContain('Waiting for a moderator.');

      await expectCountersRight(db);
      expect((await p.store.articles.byId(article.id))!.commentCount).toBe(5);
    });

    it('adds nothing when the same file is imported again', async () => {
      const before = await snapshot(db, dialect);
      const report = await importWordPress(db, `${FIXTURES}/wordpress.xml`, { now: p.clock.now() });
      expect(report).toMatchObject({ comments: 0, placeholders: 0, duplicates: 7, articlesCreated: 0, usersCreated: 0 });
      expect(await snapshot(db, dialect)).toBe(before);
    });
  });

  describe('export and restore', () => {
    it('round-trips everything without loss into an empty database', async () => {
      // Activity through the real services: posts, replies, edits (revisions), votes, a deletion,
      // follows, a report, a pinned thread, a held comment, a manual grant and the moderation log.
      const article = (await p.store.articles.bySlug('open-thread'))!;
      const [ada, bob, mod] = await Promise.all([
        p.accounts.grant('ada@example.com', null),
        p.accounts.grant('bob@example.com', new Date('2027-06-01')),
        p.moderation.setRoleByEmail('mod@example.com', 'moderator', 'Mo'),
      ]);
      const [asAda, asBob, asMod] = await Promise.all([ada, bob, mod].map((u) => p.accounts.actorFor(u!)));
      p.clock.advance(48 * 3_600_000); // old enough for votes to rank
      const top = (await p.discussions.post(asAda!, article.id, 'Top-level with *emphasis* and emoji 🚂', null)).comment;
      const reply = (await p.discussions.post(asBob!, article.id, 'A reply', top.id)).comment;
      await p.discussions.post(asAda!, article.id, 'A reply to the reply', reply.id);
      await p.discussions.edit(asAda!, top.id, 'Top-level, edited once');
      await p.discussions.edit(asAda!, top.id, 'Top-level, edited twice');
      await p.discussions.vote(asBob!, top.id, 1);
      await p.discussions.vote(asMod!, top.id, -1);
      const doomed = (await p.discussions.post(asBob!, article.id, 'Soon gone', null)).comment;
      await p.discussions.remove(asBob!, doomed.id);
      await p.notifications.setFollow(asAda!, article.id, true);
      await p.notifications.guestFollow('guest@example.com', article.id);
      await p.moderation.report(asBob!, top.id, 'off_topic', 'Not about the article');
      await p.moderation.pin(asMod!, top.id, true);

      const fileA = tmp('a.ndjson');
      const { counts } = await exportJson(db, dialect, fileA);
      for (const t of ['user', 'article', 'entitlement', 'comment', 'revision', 'vote', 'follow', 'report', 'audit']) expect(counts[t], t).toBeGreaterThan(0);
      const a = readFileSync(fileA, 'utf8');
      const lines = a
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.every((l) => typeof l.type === 'string')).toBe(true);
      expect(lines.filter((l) => l.type === 'revision' && l.comment_id === top.id).map((l) => l.body_src)).toEqual([
        'Top-level with *emphasis* and emoji 🚂',
        'Top-level, edited once',
        'Top-level, edited twice',
      ]);
      expect(lines.some((l) => l.type === 'setting' && l.key === 'secret_key')).toBe(false);

      const target = await freshDatabase(dialect);
      const conn: Connection = connect(target.url);
      try {
        await migrate(conn);
        const restored = await importParley(conn.db, conn.dialect, fileA);
        expect(restored.counts.comment).toBe(counts.comment);
        const b = await snapshot(conn.db, dialect);
        expect(sortedLines(b)).toEqual(sortedLines(a));

        // A second restore would mix two publications: refused, nothing changes.
        const again = (await importParley(conn.db, conn.dialect, fileA).catch((e: unknown) => e)) as ImportError;
        expect(again).toBeInstanceOf(ImportError);
        expect(again.message).toMatch(/not empty/);
        expect(await snapshot(conn.db, dialect)).toBe(b);

        // New rows continue after the restored ids (PostgreSQL's sequences were moved past them).
        const store = new Store(conn.db, conn.dialect);
        const maxUser = Math.max(...lines.filter((l) => l.type === 'user').map((l) => Number(l.id)));
        const maxComment = Math.max(...lines.filter((l) => l.type === 'comment').map((l) => Number(l.id)));
        const newcomer = await store.users.ensure('newcomer@example.com', 'New', new Date());
        expect(newcomer.id).toBe(maxUser + 1);
        const id = await store.comments.insert({
          articleId: article.id,
          parentId: null,
          rootId: null,
          depth: 0,
          authorId: newcomer.id,
          bodySrc: 'after restore',
          bodyHtml: '<p>after restore</p>',
          status: 'visible',
          createdAt: new Date(),
        });
        expect(id).toBe(maxComment + 1);
      } finally {
        await conn.close();
        await target.drop();
      }
    });

    it('restores a file whose replies come before their parents, and refuses broken files at their line', async () => {
      const target = await freshDatabase(dialect);
      const conn = connect(target.url);
      try {
        await migrate(conn);
        const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(conn.db)).rows.map((r) => r.name);
        const header = JSON.stringify({ type: 'header', format: 'parley-export', version: 1, migrations });
        const user = {
          type: 'user',
          id: 7,
          email: 'u@example.com',
          display_name: 'U',
          role: 'reader',
          created_at: 1,
          suspended_until: null,
          banned: 0,
          notify_replies: 1,
          digest: 'instant',
          notify_token: null,
        };
        const article = {
          type: 'article',
          id: 3,
          slug: 's',
          url: null,
          title: 'T',
          standfirst: '',
          author: '',
          author_bio: '',
          author_handle: '',
          image: null,
          image_credit: '',
          published_at: 1,
          body: '',
          comment_policy: 'subscribers',
          comment_count: 2,
          updated_at: 1,
          policy_override: null,
          moderation: null,
        };
        const comment = (id: number, parent: number | null) => ({
          type: 'comment',
          id,
          article_id: 3,
          parent_id: parent,
          root_id: parent,
          depth: parent ? 1 : 0,
          author_id: 7,
          body_src: `c${id}`,
          body_html: `<p>c${id}</p>\n`,
          status: 'visible',
          created_at: id,
          edited_at: null,
          edited_by: null,
          score: 0,
          up: 0,
          down: 0,
          reply_count: parent ? 0 : 1,
        });
        const file = tmp('forward.ndjson');
        writeFileSync(
          file,
          `${[header, user, article, comment(5, 9), comment(9, null)].map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`,
        );
        await importParley(conn.db, conn.dialect, file);
        const rows = await conn.db.selectFrom('comments').select(['id', 'parent_id', 'root_id']).orderBy('id').execute();
        expect(rows.map((r) => [Number(r.id), r.parent_id === null ? null : Number(r.parent_id)])).toEqual([
          [5, 9],
          [9, null],
        ]);

        const empty = await freshDatabase(dialect);
        const conn2 = connect(empty.url);
        try {
          await migrate(conn2);
          const broken = tmp('broken.ndjson');
          writeFileSync(broken, `${header}\n${JSON.stringify(user)}\n{"type":"user", oops}\n`);
          const e1 = (await importParley(conn2.db, conn2.dialect, broken).catch((e: unknown) => e)) as ImportError;
          expect(e1.message).toMatch(/line 3: not a JSON object/);
          const unknown = tmp('unknown.ndjson');
          writeFileSync(unknown, `${header}\n${JSON.stringify({ ...user, type: 'gadget' })}\n`);
          expect(((await importParley(conn2.db, conn2.dialect, unknown).catch((e: unknown) => e)) as Error).message).toMatch(
            /line 2: unknown record type "gadget"/,
          );
          const dangling = tmp('dangling.ndjson');
          writeFileSync(dangling, `${header}\n${JSON.stringify(user)}\n${JSON.stringify(comment(5, null))}\n`);
          expect(((await importParley(conn2.db, conn2.dialect, dangling).catch((e: unknown) => e)) as Error).message).toMatch(
            /line 3: the database refused this comment/,
          );
          const newer = tmp('newer.ndjson');
          writeFileSync(newer, `${JSON.stringify({ type: 'header', format: 'parley-export', version: 1, migrations: [...migrations, '999_future'] })}\n`);
          expect(((await importParley(conn2.db, conn2.dialect, newer).catch((e: unknown) => e)) as Error).message).toMatch(/999_future/);
          expect(await conn2.db.selectFrom('users').select('id').execute()).toEqual([]);
        } finally {
          await conn2.close();
          await empty.drop();
        }
      } finally {
        await conn.close();
        await target.drop();
      }
    });
  });

  it('runs from the command line, with progress lines when not on a terminal', async () => {
    const target = await freshDatabase(dialect);
    try {
      const env = { DATABASE_URL: target.url };
      const imported = await runCli(['import', 'disqus', `${FIXTURES}/disqus.xml`], env);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/Imported 8 comments from disqus/);
      expect(imported.stdout).toMatch(/1 spam, 0 trash, 1 deleted/);
      // Progress counts every post read, the skipped ones too.
      expect(imported.stderr).toMatch(/100% · 12 comments/);
      const exported = tmp('cli.ndjson');
      const out = await runCli(['export', '--format', 'json', exported], env);
      expect(out.code, out.stderr).toBe(0);
      expect(
        readFileSync(exported, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"type":"comment"')),
      ).toHaveLength(9);
      const bad = await runCli(['import', 'disqus', `${FIXTURES}/disqus-malformed.xml`], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/line 26/);
      const refused = await runCli(['import', 'parley', exported], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not empty/);
      expect((await runCli(['export', '--format', 'csv', exported], env)).code).toBe(64);
    } finally {
      await target.drop();
    }
  }, 60_000);
});

describe('import progress', () => {
  it('draws a bar on a terminal and plain lines elsewhere', () => {
    let t = 0;
    const tty: string[] = [];
    const bar = progressBar(1000, { out: { write: (s: string) => tty.push(s), isTTY: true, columns: 120 }, now: () => t });
    t = 1000;
    bar.update(500, 50);
    bar.finish();
    expect(tty[0]).toMatch(/^\r\[#{12}-{12}\] 50% · 50 comments · 50\/s · 1s left/);
    const log: string[] = [];
    t = 0;
    const plain = progressBar(1000, { out: { write: (s: string) => log.push(s) }, now: () => t });
    for (let i = 1; i <= 100; i++) {
      t += 100;
      plain.update(i * 10, i);
    }
    // One line per tenth of the file (and the start), no terminal control characters.
    expect(log.length).toBe(11);
    expect(log.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });
});
