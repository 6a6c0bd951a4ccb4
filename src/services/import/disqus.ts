import type { Kysely } from 'kysely';
import { messages } from '../../messages.js';
import type { Database } from '../../store/schema.js';
import { child, childText, idAttr, ImportError, local, parseTime, readXml, type XNode } from './xml.js';
import { runImport, type ImportedThread, type ImportOptions, type ImportReport } from './writer.js';

const isTrue = (v: string) => v === 'true' || v === '1';

/**
 * Imports a Disqus export (`<disqus>` with `<category>`, `<thread dsq:id>` and `<post dsq:id>`
 * children). Threads come before the posts that name them; a reply that comes before its parent
 * waits for it. Spam and deleted posts are skipped and counted; if a kept reply answers one, a
 * "deleted" placeholder holds its place in the thread.
 */
export async function importDisqus(db: Kysely<Database>, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return runImport(db, 'disqus', file, opts, async (w, onBytes) => {
    const threads = new Map<string, ImportedThread>();
    // Disqus's own import format names threads by their `<id>` (the site's identifier) instead.
    const threadsByIdent = new Map<string, ImportedThread>();
    const events = readXml(file, { capture: (p) => p.length === 2, boundary: (p) => p.length === 1, onBytes, maxText: w.maxText });
    for await (const ev of events) {
      if (ev.kind === 'open') {
        if (local(ev.path[0]!) !== 'disqus') throw new ImportError(ev.line, messages.importer.notDisqus(ev.path[0]!));
        continue;
      }
      if (ev.kind !== 'node') continue;
      const n = ev.node;
      const name = local(n.name);
      if (name === 'thread') {
        const t = thread(n);
        threads.set(t.key, t);
        const ident = childText(n, 'id');
        if (ident) threadsByIdent.set(ident, t);
      } else if (name === 'post') {
        const id = idAttr(n) || childText(n, 'id');
        if (!id) throw new ImportError(n.line, messages.importer.missing('a <post>', 'id'));
        const threadRef = child(n, 'thread');
        const t = threadRef ? (threads.get(idAttr(threadRef)) ?? threadsByIdent.get(threadRef.text.trim())) : undefined;
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
            author: { name: a ? childText(a, 'name') : '', email: a ? childText(a, 'email') || null : null, handle: a ? childText(a, 'username') || null : null },
            html: message?.text ?? '',
            clipped: message?.clipped ?? false,
            newlines: 'collapse',
            status: childText(n, 'isApproved') === 'false' ? 'pending' : 'visible',
          });
        }
      }
    }
  });
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
