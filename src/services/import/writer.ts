import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config.js';
import { messages } from '../../messages.js';
import { renderMarkdown } from '../../render/markdown.js';
import * as bulk from '../../store/bulk.js';
import type { Database } from '../../store/schema.js';
import { cleanDisplayName } from '../account-settings.js';
import { Lru } from '../lru.js';
import { htmlToMarkdown, htmlToText } from './html-to-markdown.js';
import { silentProgress, type Progress } from './progress.js';
import type { ImportedAuthor, ImportedComment, ImportedThread } from './records.js';
import { SkippedComments, type SkippedComment } from './skipped.js';
import type { ImportReport, SkipReason } from '../../domain/import-report.js';

// The importers' shared vocabulary, from where it is defined (kept out of this module so that
// nothing it imports has to import it back).
export type { ImportReport, SkipReason } from '../../domain/import-report.js';
export type { ImportedAuthor, ImportedComment, ImportedThread } from './records.js';
export type { SkippedComment } from './skipped.js';

export type ImportSource = 'disqus' | 'wordpress';

type Placed = bulk.PlacedComment;

/** First revisions wait and go in together: one statement for this many comments. */
const REVISION_BATCH = 500;

/**
 * The name an imported author is shown under: the other system's name, mended to the rules a
 * reader's own display name follows (an export is not refused for a name, so what those rules
 * would refuse is cut or replaced instead).
 */
export function importedAuthorName(raw: string): string {
  const name = htmlToText(raw)
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (ch) => (ch === '\u200d' ? ch : ' '))
    .replace(/\s+/g, ' ')
    .trim();
  try {
    return cleanDisplayName([...name].slice(0, 60).join(''));
  } catch {
    return messages.importer.anonymousAuthor;
  }
}

/** At most `max` characters as a reader counts them (code points), marked as cut with an ellipsis. */
export function truncateBody(text: string, max: number): string {
  return `${[...text]
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const slugify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');

/** The last meaningful segment of a URL's path: `/2024/11/night-trains/` → `night-trains`. */
export function slugFromUrl(url: string | null): string {
  if (!url) return '';
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  const segments = path
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .map((s) => s.replace(/\.(?:html?|php|aspx?)$/i, ''))
    .filter((s) => s && s !== 'index');
  for (let i = segments.length - 1; i >= 0; i--) {
    const slug = slugify(segments[i]!);
    // A bare number (`/2024/11/`) names a date, not the article.
    if (slug && !/^\d+$/.test(slug)) return slug;
  }
  return '';
}

/**
 * Writes imported comments: finds or creates their articles (by URL) and their imported authors,
 * keeps threads (a reply whose parent comes later in the file waits for it), remembers each
 * comment's id in the other system so a second run adds nothing twice, and moves the counters.
 * Runs inside the import's one transaction.
 */
export class ImportWriter {
  readonly report: ImportReport;
  /** Comments seen (written, skipped or already there), for progress. */
  seen = 0;
  private readonly placed = new Lru<string, Placed>(100_000);
  private readonly users = new Lru<string, number>(50_000);
  private readonly articles = new Map<string, number>();
  private readonly waiting = new Map<string, ImportedComment[]>();
  private readonly skippedPosts: SkippedComments;
  private readonly articleDelta = new Map<number, number>();
  private readonly replyDelta = new Map<number, number>();
  private deltas = 0;
  private revisions: bulk.RevisionRow[] = [];
  private placeholderAuthor: number | null = null;
  private checkExisting = false;
  /**
   * Characters of a comment's HTML worth reading: far more than any comment within the limit
   * needs (markup takes room), far less than an export can hold.
   */
  readonly maxText: number;

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly source: ImportSource,
    private readonly now: Date,
    private readonly maxLength: number,
  ) {
    this.maxText = maxLength * 32 + 65_536;
    this.skippedPosts = new SkippedComments(db);
    this.report = {
      source,
      comments: 0,
      pending: 0,
      placeholders: 0,
      duplicates: 0,
      orphans: 0,
      truncated: 0,
      skipped: { spam: 0, trash: 0, deleted: 0, pingback: 0, other: 0, empty: 0, noThread: 0 },
      articlesCreated: 0,
      articlesMatched: 0,
      usersCreated: 0,
      usersMatched: 0,
    };
  }

  static async open(db: Kysely<Database>, source: ImportSource, now: Date, maxLength: number): Promise<ImportWriter> {
    const w = new ImportWriter(db, source, now, maxLength);
    // Only a second run needs the look-up before each insert; a first run saves it.
    w.checkExisting = await bulk.hasImported(db, source);
    return w;
  }

  async add(c: ImportedComment): Promise<void> {
    this.seen++;
    await this.drain([c]);
  }

  /** A comment left out (spam, trash, deleted...): counted, and remembered in case replies to it come. */
  async skip(s: SkippedComment, reason: SkipReason): Promise<void> {
    this.seen++;
    this.report.skipped[reason]++;
    await this.skippedPosts.add(s);
    await this.drain(this.release(s.sourceId));
  }

  /** Post that is neither imported nor a possible parent (its page is unknown). */
  countOnly(reason: SkipReason): void {
    this.seen++;
    this.report.skipped[reason]++;
  }

  /**
   * The end of a part of the file whose ids nothing after it can name (a WordPress item): its
   * replies still waiting for a parent are settled, and what was kept for its replies is let go.
   */
  async endScope(): Promise<void> {
    await this.settleWaiting();
    await this.skippedPosts.clear();
  }

  async finish(): Promise<ImportReport> {
    await this.settleWaiting();
    await this.flushCounters();
    await this.flushRevisions();
    await this.skippedPosts.close();
    return this.report;
  }

  /** Replies whose parent never came: kept, as top-level comments, with their own replies. */
  private async settleWaiting(): Promise<void> {
    while (this.waiting.size > 0) {
      const all = [...this.waiting.values()].flat();
      const waitingIds = new Set(all.map((c) => c.sourceId));
      let heads = all.filter((c) => !waitingIds.has(c.parentSourceId!));
      if (heads.length === 0) heads = [all[0]!]; // a cycle of parents: break it anywhere
      for (const h of heads) {
        const list = this.waiting.get(h.parentSourceId!)!;
        list.splice(list.indexOf(h), 1);
        if (list.length === 0) this.waiting.delete(h.parentSourceId!);
        this.report.orphans++;
        await this.drain([{ ...h, parentSourceId: null }]);
      }
    }
  }

  private async flushRevisions(): Promise<void> {
    const rows = this.revisions;
    this.revisions = [];
    await bulk.insertRevisions(this.db, rows);
  }

  private release(sourceId: string): ImportedComment[] {
    const kids = this.waiting.get(sourceId);
    if (!kids) return [];
    this.waiting.delete(sourceId);
    return kids;
  }

  private async drain(queue: ImportedComment[]): Promise<void> {
    while (queue.length > 0) {
      const c = queue.shift()!;
      if ((await this.place(c)) !== 'deferred') queue.push(...this.release(c.sourceId));
    }
  }

  private async find(sourceId: string): Promise<Placed | null> {
    const hit = this.placed.get(sourceId);
    if (hit) return hit;
    const found = await bulk.findImported(this.db, this.source, sourceId);
    if (found) this.placed.set(sourceId, found);
    return found;
  }

  private async parentOf(parentSourceId: string): Promise<Placed | null> {
    const parent = await this.find(parentSourceId);
    if (parent) return parent;
    const skipped = await this.skippedPosts.get(parentSourceId);
    return skipped ? this.placeholder(skipped, new Set()) : null;
  }

  private async place(c: ImportedComment): Promise<'placed' | 'deferred' | 'duplicate' | 'skipped'> {
    let parent: Placed | null = null;
    if (c.parentSourceId !== null) {
      parent = await this.parentOf(c.parentSourceId);
      if (!parent) {
        const list = this.waiting.get(c.parentSourceId);
        if (list) list.push(c);
        else this.waiting.set(c.parentSourceId, [c]);
        return 'deferred';
      }
    }
    if (this.checkExisting && (await this.find(c.sourceId))) {
      this.report.duplicates++;
      return 'duplicate';
    }
    let text = htmlToMarkdown(c.html, { newlines: c.newlines });
    if (!text) {
      this.report.skipped.empty++;
      await this.skippedPosts.add(c);
      return 'skipped';
    }
    // Kept, but never longer than a reader may write here: a page must not carry one 50 MB comment.
    if (c.clipped || (text.length > this.maxLength && [...text].length > this.maxLength)) {
      text = truncateBody(text, this.maxLength);
      this.report.truncated++;
    }
    const articleId = await this.article(c.thread, c.createdAt);
    if (parent && parent.articleId !== articleId) {
      // The other system filed the reply under another page than its parent: keep it on its own page.
      parent = null;
      this.report.orphans++;
    }
    const authorId = await this.user(c.author, c.createdAt);
    const up = Math.max(0, c.votes?.up ?? 0);
    const down = Math.max(0, c.votes?.down ?? 0);
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const depth = parent ? parent.depth + 1 : 0;
    const row: bulk.ImportedCommentRow = {
      article_id: articleId,
      parent_id: parent?.id ?? null,
      root_id: rootId,
      depth,
      author_id: authorId,
      body_src: text,
      body_html: renderMarkdown(text),
      status: c.status,
      created_at: c.createdAt.getTime(),
      edited_at: c.editedAt?.getTime() ?? null,
      // `Last edited … by <name>` as on the original page.
      edited_by: c.editedAt ? (c.editedBy ? await this.user(c.editedBy, c.editedAt) : authorId) : null,

      score: up - down,
      up,
      down,
      reply_count: 0,
      // Votes cast elsewhere cannot be checked for vote rings; they count towards 'top' as cast.
      rank_score: up - down,
      pinned: c.pinned && !parent ? 1 : 0,
      // Parley pins and locks whole threads, so only a top-level comment carries either.
      locked: c.locked && !parent ? 1 : 0,
      moderation_reason: c.status === 'pending' ? messages.importer.pendingReason(this.source) : null,
      import_source: this.source,
      import_id: c.sourceId,
    };
    const id = await bulk.insertImportedComment(this.db, row);
    if (id === null) {
      // The same id twice in one file, or a run the first check did not expect.
      this.checkExisting = true;
      this.report.duplicates++;
      await this.find(c.sourceId);
      return 'duplicate';
    }
    this.revisions.push([id, text, authorId, row.created_at]);
    if (this.revisions.length >= REVISION_BATCH) await this.flushRevisions();
    this.placed.set(c.sourceId, { id, rootId, depth, articleId });
    this.report.comments++;
    if (c.status === 'pending') this.report.pending++;
    else this.count(articleId, rootId);
    if (this.deltas >= 50_000) await this.flushCounters();
    return 'placed';
  }

  /** Writes a "deleted" comment in place of a skipped one that has replies. */
  private async placeholder(s: SkippedComment, visiting: Set<string>): Promise<Placed> {
    visiting.add(s.sourceId);
    let parent: Placed | null = null;
    if (s.parentSourceId !== null && !visiting.has(s.parentSourceId)) {
      parent = await this.find(s.parentSourceId);
      const skippedParent = parent ? null : await this.skippedPosts.get(s.parentSourceId);
      if (skippedParent) parent = await this.placeholder(skippedParent, visiting);
    }
    const articleId = await this.article(s.thread, s.createdAt);
    if (parent && parent.articleId !== articleId) parent = null;
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const depth = parent ? parent.depth + 1 : 0;
    const id = await bulk.insertImportedComment(this.db, {
      article_id: articleId,
      parent_id: parent?.id ?? null,
      root_id: rootId,
      depth,
      author_id: await this.deletedAuthor(),
      body_src: '',
      body_html: '',
      status: 'deleted',
      created_at: s.createdAt.getTime(),
      edited_at: null,
      edited_by: null,
      score: 0,
      up: 0,
      down: 0,
      reply_count: 0,
      rank_score: 0,
      pinned: 0,
      locked: 0,
      moderation_reason: null,
      import_source: this.source,
      import_id: s.sourceId,
    });
    if (id === null) return (await this.find(s.sourceId))!;
    const placed = { id, rootId, depth, articleId };
    this.placed.set(s.sourceId, placed);
    this.report.placeholders++;
    // A deleted reply keeps its place in its thread's count, as one deleted in Parley does.
    if (rootId !== null) this.bump(this.replyDelta, rootId);
    return placed;
  }

  private count(articleId: number, rootId: number | null): void {
    this.bump(this.articleDelta, articleId);
    if (rootId !== null) this.bump(this.replyDelta, rootId);
  }

  private bump(m: Map<number, number>, id: number): void {
    m.set(id, (m.get(id) ?? 0) + 1);
    this.deltas++;
  }

  /** Moves the counters by what was written since the last call; settled in batches so a huge import keeps few in memory. */
  private async flushCounters(): Promise<void> {
    await bulk.addToCounters(this.db, 'articles', 'comment_count', this.articleDelta);
    await bulk.addToCounters(this.db, 'comments', 'reply_count', this.replyDelta);
    this.articleDelta.clear();
    this.replyDelta.clear();
    this.deltas = 0;
  }

  private async article(t: ImportedThread, firstCommentAt: Date): Promise<number> {
    const cached = this.articles.get(t.key);
    if (cached !== undefined) return cached;
    // Only web addresses are kept: an export is input like any other.
    const url = /^https?:\/\/\S+$/i.test(t.url?.trim() ?? '') ? t.url!.trim() : null;
    let id: number | null = null;
    if (url) id = await bulk.articleIdByUrl(this.db, url.endsWith('/') ? [url, url.slice(0, -1)] : [url, `${url}/`]);
    const base = slugify(t.slug ?? '') || slugFromUrl(url) || slugify(htmlToText(t.title)) || 'imported';
    if (id === null) {
      // An article loaded from CONTENT_DIR without a URL is matched by its slug.
      const same = await bulk.articleBySlug(this.db, base);
      if (same && same.url === null) id = same.id;
    }
    if (id !== null) {
      this.report.articlesMatched++;
    } else {
      let slug = base;
      for (let n = 2; await bulk.articleBySlug(this.db, slug); n++) slug = `${base}-${n}`;
      id = await bulk.insertArticle(this.db, {
        slug,
        url,
        title: htmlToText(t.title) || url || slug,
        publishedAt: (t.publishedAt ?? firstCommentAt).getTime(),
        now: this.now.getTime(),
      });
      this.report.articlesCreated++;
    }
    this.articles.set(t.key, id);
    return id;
  }

  /**
   * The imported author's own user: never an existing account, whatever address the file gives,
   * since nothing proved that whoever wrote the comment owns it. It is shown under the name the
   * file gives and cannot sign in (its address, under `.invalid`, receives no mail). The same
   * name, address and handle from the same source make the same imported author, also across runs.
   */
  private async user(a: ImportedAuthor, at: Date): Promise<number> {
    const name = importedAuthorName(a.name);
    const identity = JSON.stringify([this.source, a.email?.trim().toLowerCase() ?? '', a.handle?.trim() ?? '', name]);
    const email = `${slugify(name).slice(0, 40) || 'guest'}-${createHash('sha256').update(identity).digest('hex').slice(0, 20)}@${this.source}.import.invalid`;
    const cached = this.users.get(email);
    if (cached !== undefined) return cached;
    let id = await bulk.insertUser(this.db, { email, name, createdAt: at.getTime() });
    if (id !== null) this.report.usersCreated++;
    else {
      id = (await bulk.userIdByEmail(this.db, email))!;
      this.report.usersMatched++;
    }
    this.users.set(email, id);
    return id;
  }

  private async deletedAuthor(): Promise<number> {
    if (this.placeholderAuthor !== null) return this.placeholderAuthor;
    const email = `deleted@${this.source}.import.invalid`;
    this.placeholderAuthor =
      (await bulk.insertUser(this.db, { email, name: messages.importer.deletedAuthor, createdAt: this.now.getTime() })) ??
      (await bulk.userIdByEmail(this.db, email))!;
    return this.placeholderAuthor;
  }
}

export interface ImportOptions {
  progress?: Progress;
  /** MAX_COMMENT_LENGTH: longer comments are imported cut to it; the configuration's default otherwise. */
  maxLength?: number;
  /** The time recorded as the import's (new articles' `updated_at`); defaults to now. */
  now?: Date;
}

/**
 * Runs one import in one transaction: a file that turns out to be broken halfway leaves the
 * database exactly as it was.
 */
export async function runImport(
  db: Kysely<Database>,
  source: ImportSource,
  file: string,
  opts: ImportOptions,
  body: (w: ImportWriter, onBytes: (bytes: number) => void, trx: Kysely<Database>) => Promise<void>,
): Promise<ImportReport> {
  const progress = opts.progress ?? silentProgress;
  const total = (await stat(file)).size;
  const work = async (trx: Kysely<Database>) => {
    const w = await ImportWriter.open(trx, source, opts.now ?? new Date(), opts.maxLength ?? loadConfig({}).MAX_COMMENT_LENGTH);
    await body(w, (bytes) => progress.update(bytes, w.seen), trx);
    const report = await w.finish();
    progress.update(total, w.seen);
    return report;
  };
  try {
    return db.isTransaction ? await work(db) : await db.transaction().execute(work);
  } finally {
    progress.finish();
  }
}
