import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { NewComment } from '../../src/store/store.js';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

/*
 * Posts of one batch by different authors, ready at once, are written by one statement on
 * PostgreSQL (src/store/repositories/posts-together.ts). Whatever the statement, each post must
 * come back as its own stored row with its own count, its revision, and its thread's reply count
 * moved once per visible reply. Statements are counted by a statement-level trigger on comments.
 */
describe.each(DIALECTS)('posts of a batch written together on %s', (dialect) => {
  const f = useStore(dialect);

  const insertStatements = async () => Number((await sql<{ n: number }>`select n from insert_statements`.execute(f.store.db)).rows[0]!.n);

  it('stores each post of a burst as its own row, with its count, revision and reply count', async () => {
    const { store } = f;
    await sql`create table insert_statements (n integer not null)`.execute(store.db);
    await sql`insert into insert_statements (n) values (0)`.execute(store.db);
    if (dialect === 'postgres') {
      await sql`create function count_insert() returns trigger language plpgsql as $$ begin update insert_statements set n = n + 1; return null; end $$`.execute(
        store.db,
      );
      await sql`create trigger count_insert after insert on comments for each statement execute function count_insert()`.execute(store.db);
    }
    const authors: number[] = [];
    for (let i = 0; i < 8; i++) authors.push((await store.users.ensure(`writer${i}@example.com`, `Writer ${i}`, now)).id);
    const rootA = await store.comments.insert(f.newComment({ bodySrc: 'Root A' }));
    const rootB = await store.comments.insert(f.newComment({ bodySrc: 'Root B' }));
    const before = (await store.articles.byId(f.articleId))!.commentCount;
    const statementsBefore = await insertStatements();

    // Three visible replies to A, one to B, one held reply to B, three top-level posts.
    const posts: NewComment[] = authors.map((authorId, i) => {
      const root = i < 3 ? rootA : i < 5 ? rootB : null;
      return f.newComment({
        authorId,
        parentId: root,
        rootId: root,
        depth: root ? 1 : 0,
        bodySrc: `Post ${i} it's "quoted", {braced}, back\\slashed`,
        bodyHtml: `<p>Post ${i}</p>`,
        status: i === 4 ? 'pending' : 'visible',
        moderationReason: i === 4 ? 'links' : null,
      });
    });
    const answers = await Promise.all(
      posts.map((c, i) => store.grouped(f.articleId, (tx) => tx.comments.post(c, { author: `Writer ${i}`, replyTo: c.rootId ? 'Alice' : null }), c.authorId)),
    );

    if (dialect === 'postgres') expect(await insertStatements()).toBe(statementsBefore + 1);
    expect(new Set(answers.map((a) => a.comment.id)).size).toBe(posts.length);
    for (const [i, a] of answers.entries()) {
      const stored = (await store.comments.byId(a.comment.id))!;
      expect(stored).toMatchObject({ authorId: authors[i], bodySrc: posts[i]!.bodySrc, status: posts[i]!.status, rootId: posts[i]!.rootId });
      expect(a.comment).toMatchObject({ id: stored.id, authorId: authors[i], bodySrc: posts[i]!.bodySrc, authorName: `Writer ${i}` });
      expect(stored.moderationReason).toBe(posts[i]!.moderationReason);
      expect((await store.comments.revisionsOf(a.comment.id)).map((r) => [r.bodySrc, r.editorId])).toEqual([[posts[i]!.bodySrc, authors[i]]]);
    }
    // Counts as each post left the article, in the order they came; the held one moves nothing.
    const visible = answers.filter((_, i) => i !== 4).map((a) => a.commentCount);
    expect(visible).toEqual(visible.map((_, k) => before + k + 1));
    expect((await store.articles.byId(f.articleId))!.commentCount).toBe(before + 7);
    expect((await store.comments.byId(rootA))!.replyCount).toBe(3);
    expect((await store.comments.byId(rootB))!.replyCount).toBe(1);
  });

  it('fails only the post the database refuses when it shares a statement: the others are stored once', async () => {
    const { store } = f;
    const authors: number[] = [];
    for (let i = 0; i < 4; i++) authors.push((await store.users.ensure(`refused${i}@example.com`, `Refused ${i}`, now)).id);
    const before = (await store.articles.byId(f.articleId))!.commentCount;
    // The third replies to a comment that does not exist: its foreign key fails the insert.
    const posts = authors.map((authorId, i) =>
      f.newComment({ authorId, bodySrc: `Beside a refusal ${i}`, ...(i === 2 ? { parentId: 987654, rootId: 987654, depth: 1 } : {}) }),
    );
    const settled = await Promise.allSettled(
      posts.map((c) => store.grouped(f.articleId, (tx) => tx.comments.post(c, { author: 'W', replyTo: null }), c.authorId)),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/foreign key/i);
    for (const [i, c] of posts.entries()) {
      const rows = await store.db.selectFrom('comments').select('id').where('body_src', '=', c.bodySrc).execute();
      expect(rows).toHaveLength(i === 2 ? 0 : 1);
    }
    expect((await store.articles.byId(f.articleId))!.commentCount).toBe(before + 3);
  });
});
