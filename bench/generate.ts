import type { Store } from '../src/store/store.js';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small deterministic PRNG so every run builds the same thread. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface GeneratedThread {
  articleId: number;
  comments: number;
  topLevel: number;
}

/**
 * Builds an article whose discussion has `n` comments: about one in five top-level, the rest
 * replies at random depths, with vote counts spread so that the "top" sort differs from time.
 * Rows go in with multi-row inserts inside one transaction; counters are set at the end.
 */
export async function generateThread(
  store: Store,
  slug: string,
  n: number,
  authorIds: number[],
  /** Words of comment `i` (plain text); by default one sentence that differs only by its number. */
  bodyOf?: (i: number) => string,
): Promise<GeneratedThread> {
  const now = Date.now();
  const article = await store.articles.upsert(
    {
      slug,
      url: null,
      title: `Benchmark thread of ${n} comments`,
      standfirst: '',
      author: 'Bench',
      authorBio: '',
      authorHandle: '',
      image: null,
      imageCredit: '',
      publishedAt: new Date(now - 30 * 86400_000),
      body: 'Benchmark article.',
      commentPolicy: 'subscribers',
    },
    new Date(),
  );
  const rand = rng(n);
  const start = now - 20 * 86400_000;
  const step = Math.max(1, Math.floor((19 * 86400_000) / n));
  const nextId = (await store.comments.maxId()) + 1;
  const replyCounts = new Map<number, number>();
  const roots: number[] = [];
  const depthOf = new Map<number, number>();
  const rootOf = new Map<number, number>();
  let topLevel = 0;
  await store.transaction(async (tx) => {
    const BATCH = 500;
    for (let b = 0; b < n; b += BATCH) {
      const rows = [];
      for (let i = b; i < Math.min(n, b + BATCH); i++) {
        const id = nextId + i;
        const isRoot = roots.length === 0 || rand() < 0.2;
        let parent: number | null = null;
        let root: number | null = null;
        let depth = 0;
        if (!isRoot) {
          // Replies cluster on recent threads, as in a live discussion.
          root = roots[Math.max(0, roots.length - 1 - Math.floor(rand() * Math.min(roots.length, 50)))]!;
          const candidates = [root, ...(rand() < 0.6 ? [id - 1] : [])].filter((c) => (rootOf.get(c) ?? c) === root);
          parent = candidates[Math.floor(rand() * candidates.length)]!;
          depth = (depthOf.get(parent) ?? 0) + 1;
          replyCounts.set(root, (replyCounts.get(root) ?? 0) + 1);
          rootOf.set(id, root);
        } else {
          roots.push(id);
          topLevel++;
        }
        depthOf.set(id, depth);
        const up = Math.floor(rand() ** 3 * 60);
        const down = Math.floor(rand() ** 4 * 12);
        const text = bodyOf?.(i);
        const body = text ?? `Benchmark comment ${i} with a little *Markdown* and enough words to look like a real reply.`;
        rows.push({
          id,
          article_id: article.id,
          parent_id: parent,
          root_id: root,
          depth,
          author_id: authorIds[i % authorIds.length]!,
          body_src: body,
          body_html:
            text === undefined
              ? `<p>Benchmark comment ${i} with a little <em>Markdown</em> and enough words to look like a real reply.</p>`
              : `<p>${escapeHtml(text)}</p>`,
          status: 'visible',
          created_at: start + i * step,
          edited_at: null,
          edited_by: null,
          score: up - down,
          up,
          down,
          reply_count: 0,
        });
      }
      await tx.db.insertInto('comments').values(rows).execute();
    }
    for (const [root, count] of replyCounts) await tx.db.updateTable('comments').set({ reply_count: count }).where('id', '=', root).execute();
    await tx.db.updateTable('articles').set({ comment_count: n }).where('id', '=', article.id).execute();
  });
  if (store.dialect === 'postgres') {
    // Explicit ids bypass the sequence; move it past them so later inserts do not collide.
    const { sql } = await import('kysely');
    await sql`select setval(pg_get_serial_sequence('comments', 'id'), (select max(id) from comments))`.execute(store.db);
    await sql`analyze comments`.execute(store.db);
  }
  return { articleId: article.id, comments: n, topLevel };
}
