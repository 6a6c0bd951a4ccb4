import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { cleanDisplayName } from '../../src/services/account-settings.js';
import { importDisqus } from '../../src/services/import/disqus.js';
import { importWordPress } from '../../src/services/import/wordpress.js';
import type { Database } from '../../src/store/schema.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';
import { writeDisqus, writeWxr } from '../support/import-files.js';
import { tracked } from '../support/process.js';

/*
 * Issue 11, importers: an export is input from outside like any other. Its authors' addresses
 * prove nothing, its comments obey the same length limit as typed ones, its size does not decide
 * the importer's memory, and WXR comment ids are unique only within their item.
 */

const dir = mkdtempSync(join(tmpdir(), 'parley-import-security-'));
let n = 0;
const tmp = (name: string) => join(dir, `${++n}-${name}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

interface WxrComment {
  id: number;
  author: string;
  email: string;
  html: string;
  parent?: number;
}

function wxr(postId: number, slug: string, comments: WxrComment[]): string {
  const items = comments
    .map(
      (c) =>
        `<wp:comment><wp:comment_id>${c.id}</wp:comment_id><wp:comment_author>${cdata(c.author)}</wp:comment_author><wp:comment_author_email>${cdata(c.email)}</wp:comment_author_email><wp:comment_date_gmt>2024-05-01 10:00:00</wp:comment_date_gmt><wp:comment_content>${cdata(c.html)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>${c.parent ?? 0}</wp:comment_parent></wp:comment>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://guest.example.com</link>\n<item><title>${slug}</title><link>https://guest.example.com/${slug}/</link><wp:post_id>${postId}</wp:post_id><wp:post_name>${slug}</wp:post_name><wp:post_date_gmt>2024-05-01 09:00:00</wp:post_date_gmt>\n${items}\n</item></channel></rss>\n`;
}

function disqus(slug: string, posts: { id: string; name: string; email: string; html: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n<thread dsq:id="th-${slug}"><link>https://guest.example.com/${slug}/</link><title>${slug}</title></thread>\n${posts
    .map(
      (p) =>
        `<post dsq:id="${p.id}"><message>${cdata(p.html)}</message><createdAt>2024-05-01T10:00:00Z</createdAt><author><email>${p.email}</email><name>${p.name}</name></author><thread dsq:id="th-${slug}"/></post>`,
    )
    .join('\n')}\n</disqus>\n`;
}

function file(name: string, content: string): string {
  const f = tmp(name);
  writeFileSync(f, content);
  return f;
}

async function comment(db: Kysely<Database>, source: string, id: string) {
  return db.selectFrom('comments').selectAll().where('import_source', '=', source).where('import_id', '=', id).executeTakeFirstOrThrow();
}
/** By its text, so that the check does not hang on how an importer spells its ids. */
async function commentSaying(db: Kysely<Database>, source: string, body: string) {
  return db.selectFrom('comments').selectAll().where('import_source', '=', source).where('body_src', '=', body).executeTakeFirstOrThrow();
}
async function authorOf(db: Kysely<Database>, c: { author_id: number }) {
  return db.selectFrom('users').selectAll().where('id', '=', Number(c.author_id)).executeTakeFirstOrThrow();
}

describe.each(DIALECTS)('importers on %s', (dialect) => {
  let p: TestParley;
  let db: Kysely<Database>;

  beforeAll(async () => {
    p = await startParley(dialect);
    db = p.store.db;
    await p.moderation.setRoleByEmail('admin@example.com', 'admin', 'The Editor');
    await p.accounts.grant('member@example.com', null);
  });
  afterAll(() => p?.dispose());

  it('never publishes an imported comment as the existing account whose email it carries', async () => {
    const admin = (await p.store.users.byEmail('admin@example.com'))!;
    const wp = await importWordPress(
      db,
      file('guest.xml', wxr(7, 'guest-post', [{ id: 71, author: 'Mallory', email: 'ADMIN@example.com', html: 'Official statement: the site is closing.' }])),
    );
    const dq = await importDisqus(
      db,
      file('guest-disqus.xml', disqus('guest-thread', [{ id: 'm1', name: 'Mallory D', email: 'admin@example.com', html: 'Another official statement.' }])),
    );

    for (const [source, body, name] of [
      ['wordpress', 'Official statement: the site is closing.', 'Mallory'],
      ['disqus', 'Another official statement.', 'Mallory D'],
    ] as const) {
      const c = await commentSaying(db, source, body);
      expect(Number(c.author_id), source).not.toBe(admin.id);
      const author = await authorOf(db, c);
      // A user of its own, with no power and an address no mail reaches: nobody signs in as it.
      expect(author).toMatchObject({ display_name: name, role: 'reader' });
      expect(author.email).toMatch(new RegExp(`@${source}\\.import\\.invalid$`));
      // Readers see the exported name, not the editor's.
      const article = (await p.store.articles.byId(Number(c.article_id)))!;
      const page = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${article.id}/comments?sort=oldest` }));
      expect(page.threads.map((t: { comment: { author: { id: number; name: string } } }) => t.comment.author)).toEqual([{ id: author.id, name }]);
    }
    expect([wp.usersMatched, dq.usersMatched]).toEqual([0, 0]);
    expect((await comment(db, 'wordpress', 'guest.example.com/7/71')).author_id).toBe(
      (await commentSaying(db, 'wordpress', 'Official statement: the site is closing.')).author_id,
    );
    // The editor's own account is as it was: same name, no comments.
    expect((await p.store.users.byEmail('admin@example.com'))!.displayName).toBe('The Editor');
    expect(await db.selectFrom('comments').select('id').where('author_id', '=', admin.id).execute()).toEqual([]);

    // Signing in with the address the file gave reaches the editor's account, which has none of them.
    const s = await p.signIn('admin@example.com');
    const me = json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } }));
    expect(me.viewer.id).toBe(admin.id);
  });

  it('shows each comment under the author name the export gives, cleaned by the display-name rules', async () => {
    const member = (await p.store.users.byEmail('member@example.com'))!;
    const long = 'Ω'.repeat(100);
    const report = await importWordPress(
      db,
      file(
        'names.xml',
        wxr(8, 'names-post', [
          { id: 81, author: 'Marguerite', email: 'member@example.com', html: 'Signed with a real subscriber’s address.' },
          { id: 82, author: 'Eve\u202Egnp.exe\nline two\u0085', email: 'eve@example.com', html: 'Bidi override, newline and bell in the name.' },
          { id: 83, author: long, email: 'long@example.com', html: 'A hundred-character name.' },
          { id: 84, author: '  \u200B ', email: '', html: 'Nothing usable as a name.' },
          { id: 85, author: 'Zoë &amp; Co', email: 'member@example.com', html: 'Same address, other name.' },
        ]),
      ),
    );
    const bodies = [
      'Signed with a real subscriber’s address.',
      'Bidi override, newline and bell in the name.',
      'A hundred-character name.',
      'Nothing usable as a name.',
      'Same address, other name.',
    ];
    const names = await Promise.all(bodies.map(async (b) => (await authorOf(db, await commentSaying(db, 'wordpress', b))).display_name));
    expect(names).toEqual(['Marguerite', 'Eve gnp.exe line two', 'Ω'.repeat(60), 'Anonymous', 'Zoë & Co']);
    // Each passes the rules a reader's own name must pass.
    for (const n of names) expect(cleanDisplayName(n)).toBe(n);
    const c1 = await commentSaying(db, 'wordpress', bodies[0]!);
    expect(Number(c1.author_id)).not.toBe(member.id);
    expect((await p.store.users.byEmail('member@example.com'))!.displayName).toBe(member.displayName);
    expect(report.comments).toBe(5);
  });

  it('cuts comments longer than MAX_COMMENT_LENGTH to it and counts them', async () => {
    const max = 200;
    // Two megabytes of text, an emoji (two UTF-16 units) straddling every boundary.
    const huge = `<p>${'a👋'.repeat(700_000)}</p>`;
    const wp = await importWordPress(
      db,
      file(
        'long.xml',
        wxr(9, 'long-post', [
          { id: 91, author: 'Verbose', email: 'v@example.com', html: huge },
          { id: 92, author: 'Brief', email: 'b@example.com', html: 'Short and sweet.' },
          { id: 93, author: 'Exact', email: 'x@example.com', html: 'y'.repeat(max) },
        ]),
      ),
      { maxLength: max },
    );
    expect(wp).toMatchObject({ comments: 3, truncated: 1 });
    const dq = await importDisqus(db, file('long-disqus.xml', disqus('long-thread', [{ id: 'long1', name: 'Verbose', email: 'v@example.com', html: huge }])), {
      maxLength: max,
    });
    expect(dq).toMatchObject({ comments: 1, truncated: 1 });

    for (const [source, id] of [
      ['wordpress', 'guest.example.com/9/91'],
      ['disqus', 'long1'],
    ] as const) {
      const c = await comment(db, source, id);
      expect([...c.body_src].length, source).toBeLessThanOrEqual(max);
      expect(c.body_src.startsWith('a👋a👋')).toBe(true);
      expect(c.body_src.endsWith('…')).toBe(true);
      expect(c.body_src).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(c.body_html.length).toBeLessThan(max * 8);
      const revisions = await db.selectFrom('comment_revisions').select('body_src').where('comment_id', '=', c.id).execute();
      expect(revisions.map((r) => r.body_src)).toEqual([c.body_src]);
    }
    expect((await comment(db, 'wordpress', 'guest.example.com/9/92')).body_src).toBe('Short and sweet.');
    expect((await comment(db, 'wordpress', 'guest.example.com/9/93')).body_src).toBe('y'.repeat(max));
    // The summary says so.
    expect(messages.importer.summary(wp, 1)).toMatch(/cut to it: 1\./);
  });

  it('keeps WXR comments whose ids repeat in another item, each under its own parent', async () => {
    const report = await importWordPress(db, 'tests/fixtures/import/wordpress-repeated-ids.xml');
    expect(report).toMatchObject({ comments: 5, duplicates: 0, orphans: 0, articlesCreated: 2 });
    const first = (await p.store.articles.bySlug('first-post'))!;
    const second = (await p.store.articles.bySlug('second-post'))!;
    const at = (post: number, id: number) => comment(db, 'wordpress', `repeat.example.com/${post}/${id}`);
    const [a1, a2, b1, b2, b3] = await Promise.all([at(100, 1), at(100, 2), at(200, 1), at(200, 2), at(200, 3)]);
    expect([a1, a2].map((c) => Number(c.article_id))).toEqual([first.id, first.id]);
    expect([b1, b2, b3].map((c) => Number(c.article_id))).toEqual([second.id, second.id, second.id]);
    expect([a1.body_src, b1.body_src, b2.body_src]).toEqual([
      'First post, first comment.',
      'Second post, first comment.',
      'Second post, Cleo answers herself.',
    ]);
    expect([a1.parent_id, b1.parent_id]).toEqual([null, null]);
    expect(Number(a2.parent_id)).toBe(a1.id);
    expect(Number(b2.parent_id)).toBe(b1.id);
    expect([Number(b3.parent_id), Number(b3.root_id), b3.depth]).toEqual([b2.id, b1.id, 2]);
    expect((await p.store.articles.byId(second.id))!.commentCount).toBe(3);
    expect((await p.store.comments.byId(b1.id))!.replyCount).toBe(2);

    // A second run finds every one of them already there.
    expect(await importWordPress(db, 'tests/fixtures/import/wordpress-repeated-ids.xml')).toMatchObject({ comments: 0, duplicates: 5 });
  });
});

/** Runs the import in a process of its own and reports what it measured (see import-memory-child.ts). */
function measure(
  kind: 'wordpress' | 'disqus',
  xml: string,
  url: string,
): Promise<{
  size: number;
  rssBefore: number;
  peakRss: number;
  heapBefore: number;
  liveHeapMax: number;
  externalBefore: number;
  liveExternalMax: number;
  comments: number;
}> {
  return new Promise((resolve, reject) => {
    // Stopped when the test ends, a timeout included: a stuck import does not outlive it.
    const child = tracked(
      spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/security/import-memory-child.ts', kind, xml, url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('importing a large file', () => {
  const MB = 1024 * 1024;
  let wxrFile: string;
  let disqusFile: string;

  beforeAll(async () => {
    // ~60 MB each. WordPress: long posts (read past) with a few comments each, one of them spam;
    // Disqus: many pages nobody commented on, as real exports have, then posts, mostly spam.
    wxrFile = tmp('large.xml');
    disqusFile = tmp('large-disqus.xml');
    await writeWxr(wxrFile, { items: 1200, commentsPerItem: 4, commentBytes: 500, postBytes: 50_000, spamEvery: 4, siteWideIds: true });
    await writeDisqus(disqusFile, { threads: 20_000, threadBytes: 2000, posts: 40_000, keepEvery: 8 });
  }, 60_000);

  // The importer's own process is measured; one database shows it (the others' tests cover their SQL).
  it('keeps the importer’s memory flat, whatever the file’s size', async () => {
    const target = await freshDatabase('sqlite');
    try {
      for (const [kind, xml] of [
        ['wordpress', wxrFile],
        ['disqus', disqusFile],
      ] as const) {
        const m = await measure(kind, xml, target.url);
        expect(m.size).toBeGreaterThan(50 * MB);
        expect(m.comments).toBeGreaterThan(3000);
        // What stays alive while importing is a small fraction of the file, not the file again,
        // on the heap (a string of it) or off it (a Buffer of it)...
        expect(m.liveHeapMax - m.heapBefore, kind).toBeLessThan(m.size / 5);
        expect(m.liveExternalMax - m.externalBefore, kind).toBeLessThan(m.size / 5);
        // ...and the process as a whole grows by less than 1.5 times the file's size, garbage not
        // yet collected included: 49-65 MB for the Disqus file (63 MB) here, the most with both cores busy.
        expect(m.peakRss - m.rssBefore, kind).toBeLessThan(Math.min(200 * MB, 1.5 * m.size));
      }
    } finally {
      await target.drop();
    }
  }, 120_000);
});
