import type { Kysely } from 'kysely';
import { messages } from '../../messages.js';
import * as bulk from '../../store/bulk.js';
import type { Database } from '../../store/schema.js';
import { child, childText, idAttr, ImportError, local, parseTime, readXml, type XNode } from './xml.js';
import { Lru } from '../lru.js';
import { runImport, type ImportedThread, type ImportOptions, type ImportReport } from './writer.js';

const isTrue = (v: string) => v === 'true' || v === '1';

/**
 * Imports a Disqus export (`<disqus>` with `<category>`, `<thread dsq:id>` and `<post dsq:id>`
 * children). Threads come before the posts that name them; a reply that comes before its parent
 * waits for it. Spam and deleted posts are skipped and counted; if a kept reply answers one, a
 * "deleted" placeholder holds its place in the thread.
 */
export async function importDisqus(db: Kysely<Database>, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return runImport(db, 'disqus', file, opts, async (w, onBytes, trx) => {
    const threads = new Threads(trx);
    await threads.open();
    const events = readXml(file, { capture: (p) => p.length === 2, boundary: (p) => p.length === 1, onBytes, maxText: w.maxText });
    for await (const ev of events) {
      if (ev.kind === 'open') {
        if (local(ev.path[0]!) !== 'disqus') throw new ImportError(ev.line, messages.importer.notDisqus(ev.path[0]!));
        continue;
      }
      if (ev.kind !== 'node') continue;
      const n = ev.node;
      const name = local(n.name);
      if (name === 'thread') await threads.add(thread(n), childText(n, 'id') || null);
      else if (name === 'post') {
        const id = idAttr(n) || childText(n, 'id');
        if (!id) throw new ImportError(n.line, messages.importer.missing('a <post>', 'id'));
        const threadRef = child(n, 'thread');
        const t = threadRef ? await threads.find(idAttr(threadRef), threadRef.text.trim()) : null;
        if (!threadRef) throw new ImportError(n.line, messages.importer.missing(`post ${id}`, '<thread>'));
        const parentRef = child(n, 'parent');
        const parentSourceId = parentRef ? idAttr(parentRef) || parentRef.text.trim() || null : null;
        const createdAt = parseTime(childText(n, 'createdAt'), n.line, `post ${id}`);
        if (!t) {
          w.countOnly('noThread');
          continue;
        }
        const skipped = { sourceId: id, parentSourceId, thread: t, createdAt };
        if (isTrue(childText(n, 'isSpam'))) await w.skip(skipped, 'spam');
        else if (isTrue(childText(n, 'isDeleted'))) await w.skip(skipped, 'deleted');
        else {
          const a = child(n, 'author');
          const message = child(n, 'message');
          await w.add({
            ...skipped,
            author: {
              name: a ? childText(a, 'name') : '',
              email: a ? childText(a, 'email') || null : null,
              handle: a ? childText(a, 'username') || null : null,
            },
            html: message?.text ?? '',
            clipped: message?.clipped ?? false,
            newlines: 'collapse',
            status: childText(n, 'isApproved') === 'false' ? 'pending' : 'visible',
          });
        }
      }
    }
    await threads.close();
  });
}

/**
 * The file's pages, kept in the import's scratch table with the recently used ones at hand: a
 * large site's export lists far more pages than anyone commented on, all before the first post.
 */
class Threads {
  private pending = new Map<string, bulk.ScratchThread & { seq: number }>();
  private seq = 0;
  private readonly byKey = new Lru<string, ImportedThread | null>(10_000);
  private readonly byIdent = new Lru<string, ImportedThread | null>(10_000);

  constructor(private readonly db: Kysely<Database>) {}

  open(): Promise<void> {
    return bulk.openThreadScratch(this.db);
  }

  async add(t: ImportedThread, ident: string | null): Promise<void> {
    this.pending.delete(t.key);
    this.byKey.delete(t.key);
    if (ident) this.byIdent.delete(ident);
    this.pending.set(t.key, { key: t.key, ident, url: t.url, title: t.title, publishedAt: t.publishedAt?.getTime() ?? null, seq: ++this.seq });
    if (this.pending.size >= 500) await this.flush();
  }

  /** Disqus's own import format names a post's thread by its `<id>` (the site's identifier) instead. */
  async find(key: string, ident: string): Promise<ImportedThread | null> {
    await this.flush();
    return (key ? await this.lookup(this.byKey, 'key', key) : null) ?? (ident ? await this.lookup(this.byIdent, 'ident', ident) : null);
  }

  async close(): Promise<void> {
    await bulk.closeThreadScratch(this.db);
  }

  private async lookup(cache: Lru<string, ImportedThread | null>, by: 'key' | 'ident', value: string): Promise<ImportedThread | null> {
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const r = await bulk.scratchThread(this.db, by, value);
    const t = r ? { key: r.key, url: r.url, title: r.title, publishedAt: r.publishedAt === null ? null : new Date(r.publishedAt) } : null;
    cache.set(value, t);
    return t;
  }

  private async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    await bulk.putScratchThreads(this.db, rows);
  }
}

function thread(n: XNode): ImportedThread {
  const key = idAttr(n) || childText(n, 'id');
  if (!key) throw new ImportError(n.line, messages.importer.missing('a <thread>', 'id'));
  const created = childText(n, 'createdAt');
  return {
    key,
    url: childText(n, 'link') || null,
    title: childText(n, 'title'),
    publishedAt: created ? parseTime(created, n.line, `thread ${key}`) : null,
  };
}
