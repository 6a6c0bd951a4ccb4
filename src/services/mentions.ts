import { mentionCandidates, type Participant } from '../domain/mentions.js';
import type { Store } from '../store/store.js';

/**
 * The participants `text` may name with `@`: those of the thread (`rootId`) first, then the rest
 * of the article's, each linked to their latest comment there. Only the names the text could hold
 * are looked up, so a long discussion costs no more than a short one.
 */
export async function mentionable(store: Pick<Store, 'comments'>, articleId: number, rootId: number | null, text: string): Promise<Participant[]> {
  const names = mentionCandidates(text);
  if (names.length === 0) return [];
  const inThread = rootId === null ? [] : await store.comments.participants({ articleId, rootId, names, limit: 50 });
  const inArticle = await store.comments.participants({ articleId, names, limit: 50 });
  return [...inThread, ...inArticle.filter((p) => !inThread.some((t) => t.userId === p.userId))];
}
