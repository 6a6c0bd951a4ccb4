import type { Kysely } from 'kysely';
import { messages } from '../../messages.js';
import type { Database } from '../../store/schema.js';
import { child, childText, ImportError, local, parseTime, readXml, type XNode } from './xml.js';
import { runImport, type ImportedComment, type ImportedThread, type ImportOptions, type ImportReport, type ImportWriter } from './writer.js';

const ZERO_DATE = /^0000-00-00/;
// wpDiscuz marks sticky top-level comments by type; everything else that is not a plain comment
// (WooCommerce order notes, reviews, webmentions...) is not a discussion comment.
const COMMENT_TYPES = new Set(['', 'comment', 'wpdiscuz_sticky']);

/** wpDiscuz keeps likes and dislikes as a PHP-serialised array: `a:2:{s:4:"like";i:5;s:7:"dislike";i:1;}`. */
export function wpdiscuzVotes(meta: ReadonlyMap<string, string>): { up: number; down: number } | null {
  const separate = meta.get('wpdiscuz_votes_seperate');
  if (separate) {
    const like = /s:\d+:"like";i:(-?\d+);/.exec(separate);
    const dislike = /s:\d+:"dislike";i:(-?\d+);/.exec(separate);
    if (like || dislike) return { up: Math.abs(Number(like?.[1] ?? 0)), down: Math.abs(Number(dislike?.[1] ?? 0)) };
  }
  const total = meta.get('wpdiscuz_votes');
  if (total && /^-?\d+$/.test(total.trim())) {
    const score = Number(total);
    return { up: Math.max(0, score), down: Math.max(0, -score) };
  }
  return null;
}

interface Item {
  fields: Map<string, string>;
  line: number;
  pending: XNode[];
  thread: ImportedThread | null;
}

/**
 * Imports a WordPress export (WXR: `<rss><channel><item>` with `<wp:comment>`s), including
 * wpDiscuz's vote counts, sticky comments and closed threads from the comment meta.
 * Unapproved comments arrive awaiting moderation; spam, trash, pingbacks and trackbacks are
 * skipped and counted.
 */
export async function importWordPress(db: Kysely<Database>, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return runImport(db, 'wordpress', file, opts, async (w, onBytes) => {
    // The site's address keeps two blogs' comment 8 apart.
    let site = '';
    let item: Item | null = null;
    const events = readXml(file, {
      capture: (p) => (p.length === 3 && local(p[2]!) !== 'item') || (p.length === 4 && local(p[2]!) === 'item'),
      boundary: (p) => p.length === 1 || (p.length === 3 && local(p[2]!) === 'item'),
      onBytes,
      maxText: w.maxText,
    });
    for await (const ev of events) {
      if (ev.kind === 'open') {
        if (ev.path.length === 1) {
          if (local(ev.path[0]!) !== 'rss') throw new ImportError(ev.line, messages.importer.notWordPress(ev.path[0]!));
        } else item = { fields: new Map(), line: ev.line, pending: [], thread: null };
        continue;
      }
      if (ev.kind === 'close') {
        if (item) for (const c of item.pending) await comment(w, site, item, c);
        // Nothing in a later item can answer this one's comments (their ids are the item's own).
        await w.endScope();
        item = null;
        continue;
      }
      const n = ev.node;
      if (ev.path.length === 3) {
        if ((n.name === 'wp:base_blog_url' || (n.name === 'link' && !site)) && n.text.trim()) site = siteKey(n.text.trim());
        continue;
      }
      if (!item) continue;
      if (n.name === 'wp:comment') {
        // Comments come after the post's fields in every WXR WordPress writes; otherwise wait for them.
        if (item.fields.has('link') || item.fields.has('wp:post_id')) await comment(w, site, item, n);
        else item.pending.push(n);
      } else if (!item.fields.has(n.name)) item.fields.set(n.name, n.text.trim());
    }
  });
}

function siteKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

function threadOf(item: Item): ImportedThread {
  if (item.thread) return item.thread;
  const f = item.fields;
  const gmt = f.get('wp:post_date_gmt') ?? '';
  const local = f.get('wp:post_date') ?? '';
  const date = gmt && !ZERO_DATE.test(gmt) ? gmt : local && !ZERO_DATE.test(local) ? local : '';
  item.thread = {
    key: f.get('wp:post_id') || f.get('link') || `item@${item.line}`,
    url: f.get('link') || null,
    title: f.get('title') ?? '',
    publishedAt: date ? parseTime(date, item.line, 'the post') : null,
    slug: f.get('wp:post_name') || null,
  };
  return item.thread;
}

async function comment(w: ImportWriter, site: string, item: Item, n: XNode): Promise<void> {
  const rawId = childText(n, 'wp:comment_id');
  if (!rawId) throw new ImportError(n.line, messages.importer.missing('a <wp:comment>', '<wp:comment_id>'));
  const thread = threadOf(item);
  // A comment id is only sure to be unique within its item: exporters that number each post's
  // comments from 1 exist, and a parent is always named within the same item.
  const ref = (id: string) => `${site ? `${site}/` : ''}${thread.key}/${id}`;
  const parent = childText(n, 'wp:comment_parent');
  const gmt = childText(n, 'wp:comment_date_gmt');
  const date = gmt && !ZERO_DATE.test(gmt) ? gmt : childText(n, 'wp:comment_date');
  const skipped = {
    sourceId: ref(rawId),
    parentSourceId: parent && parent !== '0' ? ref(parent) : null,
    thread,
    createdAt: parseTime(date, n.line, `comment ${rawId}`),
  };
  const type = childText(n, 'wp:comment_type');
  const approved = childText(n, 'wp:comment_approved');
  if (type === 'pingback' || type === 'trackback') return w.skip(skipped, 'pingback');
  if (!COMMENT_TYPES.has(type)) return w.skip(skipped, 'other');
  if (approved === 'spam') return w.skip(skipped, 'spam');
  if (approved === 'trash' || approved === 'post-trashed') return w.skip(skipped, 'trash');
  if (approved !== '1' && approved !== '0') return w.skip(skipped, 'other');
  const meta = new Map<string, string>();
  for (const m of n.children) if (m.name === 'wp:commentmeta') meta.set(childText(m, 'wp:meta_key'), child(m, 'wp:meta_value')?.text.trim() ?? '');
  const edited = meta.get('wpdiscuz_last_edited_at') ?? '';
  const content = child(n, 'wp:comment_content');
  const c: ImportedComment = {
    ...skipped,
    author: { name: childText(n, 'wp:comment_author'), email: childText(n, 'wp:comment_author_email') || null, handle: null },
    html: content?.text ?? '',
    clipped: content?.clipped ?? false,
    newlines: 'keep',
    status: approved === '1' ? 'visible' : 'pending',
    votes: wpdiscuzVotes(meta),
    pinned: type === 'wpdiscuz_sticky',
    locked: meta.get('wpdiscuz_closed') === '1',
    editedAt: /^\d{9,11}$/.test(edited) ? new Date(Number(edited) * 1000) : null,
  };
  return w.add(c);
}
