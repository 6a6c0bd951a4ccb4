import type { Kysely } from 'kysely';
import * as bulk from '../../store/bulk.js';
import type { Database } from '../../store/schema.js';
import type { ImportedThread } from './records.js';

/** What is kept of a comment that is not imported, in case replies to it are. */
export interface SkippedComment {
  sourceId: string;
  parentSourceId: string | null;
  thread: ImportedThread;
  createdAt: Date;
}

/** Comments left out at hand before the rest move to the scratch table. */
const AT_HAND = 1000;

/**
 * Comments an import left out (spam, trash, deleted...), kept in case a reply to one comes later
 * and needs a "deleted" placeholder. A spam-ridden export leaves out millions: past a thousand
 * they wait in a temporary table of the import's transaction, not in memory.
 */
export class SkippedComments {
  private atHand = new Map<string, SkippedComment>();
  private opened = false;
  private spilled = false;

  constructor(private readonly db: Kysely<Database>) {}

  async add(s: SkippedComment): Promise<void> {
    if (this.atHand.has(s.sourceId)) return;
    this.atHand.set(s.sourceId, { sourceId: s.sourceId, parentSourceId: s.parentSourceId, thread: s.thread, createdAt: s.createdAt });
    if (this.atHand.size >= AT_HAND) await this.spill();
  }

  async get(sourceId: string): Promise<SkippedComment | null> {
    const hit = this.atHand.get(sourceId);
    if (hit || !this.spilled) return hit ?? null;
    const r = await bulk.scratchSkipped(this.db, sourceId);
    if (!r) return null;
    const t = r.thread;
    return {
      sourceId: r.sourceId,
      parentSourceId: r.parentSourceId,
      createdAt: new Date(r.createdAt),
      thread: { key: t.key, url: t.url, title: t.title, publishedAt: t.publishedAt === null ? null : new Date(t.publishedAt), slug: t.slug },
    };
  }

  /** Forgets them all (the end of a WordPress item, whose ids nothing later names). */
  async clear(): Promise<void> {
    this.atHand.clear();
    if (this.spilled) await bulk.clearSkippedScratch(this.db);
    this.spilled = false;
  }

  async close(): Promise<void> {
    this.atHand.clear();
    if (this.opened) await bulk.closeSkippedScratch(this.db);
    this.opened = this.spilled = false;
  }

  private async spill(): Promise<void> {
    if (!this.opened) await bulk.openSkippedScratch(this.db);
    this.opened = true;
    const rows = [...this.atHand.values()].map((s) => ({
      sourceId: s.sourceId,
      parentSourceId: s.parentSourceId,
      createdAt: s.createdAt.getTime(),
      thread: {
        key: s.thread.key,
        url: s.thread.url,
        title: s.thread.title,
        publishedAt: s.thread.publishedAt?.getTime() ?? null,
        slug: s.thread.slug ?? null,
      },
    }));
    this.atHand = new Map();
    await bulk.putScratchSkipped(this.db, rows);
    this.spilled = true;
  }
}
