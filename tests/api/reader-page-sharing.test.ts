import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import type { ThreadPage } from '../../src/domain/types.js';
import { startParley, type TestParley } from '../support/harness.js';

/**
 * A signed-in reader's page is the page all readers share with their votes and rights in the
 * comments they touch: threads they touch nowhere are the shared threads themselves, so what is
 * made from them (markup, JSON, compressed runs) is made once for every reader.
 */
describe("a signed-in reader's page against the shared one", () => {
  let p: TestParley;
  let articleId: number;
  let ada: Actor;
  let bob: Actor;
  let cy: Actor;
  let mod: Actor;
  const roots: number[] = [];

  beforeAll(async () => {
    p = await startParley('sqlite');
    articleId = (await p.store.articles.bySlug('members-thread'))!.id;
    const ensure = (email: string, name: string) => p.store.users.ensure(email, name, new Date());
    ada = await p.accounts.actorFor(await ensure('ada@example.com', 'Ada'));
    bob = await p.accounts.actorFor(await ensure('bob@example.com', 'Bob'));
    cy = await p.accounts.actorFor(await ensure('cy@example.com', 'Cy'));
    const modUser = await ensure('mod@example.com', 'Mod');
    await p.store.users.setRole(modUser.id, 'moderator');
    mod = await p.accounts.actorFor((await p.store.users.byId(modUser.id))!);
    for (const text of ['First thread.', 'Second thread.', 'Third thread.']) {
      p.clock.advance(60_000);
      roots.push((await p.discussions.post(bob, articleId, text, null)).comment.id);
    }
    p.clock.advance(60_000);
    await p.discussions.post(ada, articleId, 'Ada answers the second.', roots[1]!);
    await p.discussions.vote(cy, roots[2]!, 1);
  });
  afterAll(() => p?.dispose());

  /** The reader's page, and for each of its threads whether it is the shared page's thread object. */
  async function sharing(actor: Actor): Promise<{ page: ThreadPage; shared: Map<number, boolean> }> {
    const page = await p.discussions.page(articleId, 'oldest', undefined, actor);
    const common = p.discussions.sharedPageOf(page)!;
    expect(common).toBeDefined();
    return { page, shared: new Map(page.threads.map((t, i) => [t.comment.id, t === common.threads[i]])) };
  }

  it('shares every thread the reader neither voted in nor wrote in', async () => {
    const { page, shared } = await sharing(cy);
    expect([...shared]).toEqual([
      [roots[0], true],
      [roots[1], true],
      [roots[2], false],
    ]);
    expect(page.threads[2]!.comment.myVote).toBe(1);
  });

  it("makes the thread with the reader's own reply theirs, with their rights in it", async () => {
    const { page, shared } = await sharing(ada);
    expect([...shared.values()]).toEqual([true, false, true]);
    expect(page.threads[1]!.replies[0]).toMatchObject({ canEdit: true, canDelete: true });
  });

  it("makes every thread a moderator's, whose rights reach every comment", async () => {
    const { page, shared } = await sharing(mod);
    expect([...shared.values()]).toEqual([false, false, false]);
    expect(page.threads.every((t) => t.comment.canDelete)).toBe(true);
  });
});
