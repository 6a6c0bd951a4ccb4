import { compactThreads, ownFields, type OwnFields } from '../domain/hydration.js';
import type { ThreadPage } from '../domain/types.js';
import { Deflated } from '../http/composed-gzip.js';
import { embedJson } from './pages/DiscussionMount.js';

/**
 * The threads of a signed-in reader's page state as every reader of the page shares them: their
 * compacted JSON made and deflated once per shared page, and per reader only what differs for
 * them (src/domain/hydration.ts, ownFields). Writing the threads into each reader's state, and
 * compressing them again, took a good part of a signed-in page's time.
 */
export class StateThreads {
  // Keyed by the shared page object itself, like the markup (discussion-html.ts): a new page after any change.
  private readonly byPage = new WeakMap<ThreadPage, Deflated>();

  /** The shared threads' JSON and the reader's own fields; null when their threads differ in more (then carried whole). */
  of(page: ThreadPage, shared: ThreadPage | undefined): { json: Deflated; own: OwnFields } | null {
    if (!shared) return null;
    const own = ownFields(page.threads, shared.threads);
    if (!own) return null;
    let json = this.byPage.get(shared);
    if (!json) {
      json = new Deflated(Buffer.from(embedJson(compactThreads(shared.threads))));
      this.byPage.set(shared, json);
    }
    return { json, own };
  }
}
