import type { ThreadPage, ThreadView } from '../domain/types.js';
import { Deflated, type Piece } from './composed-gzip.js';

/** How the route writes a page and one of its threads (its response schema's serializers). */
export interface PageSerializers {
  page: (page: ThreadPage) => string;
  thread: (thread: ThreadView) => string;
}

/** Threads are kept deflated in runs of about this many bytes: a run deflated apart compresses worse the shorter it is. */
const RUN_BYTES = 8192;

/** A run of the shared page's threads as written (each with its comma), kept deflated too. */
interface Run {
  from: number;
  texts: string[];
  deflated: Deflated;
}

/** The shared page's JSON in pieces: before the threads, runs of threads, after them. */
interface SharedJson {
  head: Deflated;
  runs: Run[];
  tail: Deflated;
}

/** Whether a reader's thread is the shared one as it stands: the same comment objects in the same places. */
function unchanged(mine: ThreadView, shared: ThreadView): boolean {
  return (
    mine.comment === shared.comment &&
    mine.replies.length === shared.replies.length &&
    mine.replies.every((r, i) => r === shared.replies[i]) &&
    mine.repliesCursor === shared.repliesCursor &&
    mine.moreReplies === shared.moreReplies &&
    mine.context === shared.context
  );
}

/** A thread as it stands in the page's list: after a comma but for the first. */
const threadText = (t: ThreadView, i: number, write: PageSerializers) => `${i ? ',' : ''}${write.thread(t)}`;

/**
 * A signed-in reader's page of comments as JSON, mostly shared. A reader's page is the page every
 * reader shares with their votes and rights in the few comments they touch, and those comments
 * are new objects (src/domain/comment-view.ts, personalView), so every thread they do not touch
 * is the shared thread itself. The shared page is written and deflated once, in runs of threads;
 * a reader's answer is those runs, but for the runs holding a thread of theirs, which are
 * written again with their threads in. Writing and compressing the whole page on every answer
 * took most of its time.
 */
export class ReaderJson {
  // Keyed by the shared page object itself: a new page (after any change) is written afresh.
  private readonly byPage = new WeakMap<ThreadPage, SharedJson>();

  /**
   * The reader's page as pieces, or null when it is not the shared page's threads in the shared
   * order (their own comments awaiting moderation added, say): then it is written whole.
   */
  pieces(page: ThreadPage, shared: ThreadPage | undefined, write: PageSerializers): Piece[] | null {
    if (!shared || page.threads.length !== shared.threads.length || page.nextCursor !== shared.nextCursor || page.since !== shared.since) return null;
    if (page.sort !== shared.sort || page.threads.some((t, i) => t.comment.id !== shared.threads[i]!.comment.id)) return null;
    const json = this.sharedJson(shared, write);
    const runs = json.runs.map((run) => {
      let touched = false;
      const texts = run.texts.map((text, j) => {
        const i = run.from + j;
        if (unchanged(page.threads[i]!, shared.threads[i]!)) return text;
        touched = true;
        return threadText(page.threads[i]!, i, write);
      });
      return touched ? Buffer.from(texts.join('')) : run.deflated;
    });
    return [json.head, ...runs, json.tail];
  }

  private sharedJson(shared: ThreadPage, write: PageSerializers): SharedJson {
    let made = this.byPage.get(shared);
    if (made) return made;
    // The page's own fields as the serializer writes them, around an empty list of threads.
    const empty = write.page({ ...shared, threads: [] });
    const at = empty.indexOf('"threads":[]');
    if (at < 0) throw new Error('a page written without its threads');
    const cut = at + '"threads":['.length;
    const head = new Deflated(Buffer.from(empty.slice(0, cut)));
    const texts = shared.threads.map((t, i) => threadText(t, i, write));
    const runs: Run[] = [];
    for (let from = 0; from < texts.length; ) {
      let to = from + 1;
      let bytes = texts[from]!.length;
      while (to < texts.length && bytes < RUN_BYTES) bytes += texts[to++]!.length;
      runs.push({ from, texts: texts.slice(from, to), deflated: new Deflated(Buffer.from(texts.slice(from, to).join(''))) });
      from = to;
    }
    made = { head, runs, tail: new Deflated(Buffer.from(empty.slice(cut))) };
    this.byPage.set(shared, made);
    return made;
  }
}
