import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/** Issue 15: a deleted comment nobody answered is not left as an empty row at the top of the list. */
describe.each(DIALECTS)('deleted placeholders on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;

  beforeAll(async () => {
    p = await startParley(dialect, { PAGE_SIZE: '2' });
    articleId = (await p.store.articles.bySlug('members-thread'))!.id;
  });
  afterAll(() => p?.dispose());

  it('pages past bare placeholders, keeps one with a reply, pinned or not, and the count is unchanged', async () => {
    const bob = await p.accounts.actorFor(await p.store.users.ensure('bob@example.com', 'Bob', new Date()));
    const ada = await p.accounts.actorFor(await p.store.users.ensure('ada@example.com', 'Ada', new Date()));
    const post = async (who: typeof bob, text: string, parent: number | null = null) => (await p.discussions.post(who, articleId, text, parent)).comment.id;
    const kept = await post(ada, 'kept');
    const answered = await post(bob, 'answered, then deleted');
    await post(ada, 'the answer', answered);
    const bare = [await post(bob, 'deleted 1'), await post(bob, 'deleted 2'), await post(bob, 'deleted 3')];
    const pinnedBare = await post(bob, 'pinned, then deleted');
    await p.store.comments.setPinned(pinnedBare, true);
    for (const id of [answered, ...bare, pinnedBare]) await p.discussions.remove(bob, id);

    for (const sort of ['newest', 'oldest', 'top']) {
      const seen: number[] = [];
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page = json(
          await p.app.inject({
            method: 'GET',
            url: `/api/v1/articles/${articleId}/comments?sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          }),
        );
        seen.push(...page.threads.map((t: { comment: { id: number } }) => t.comment.id));
        cursor = page.nextCursor;
      }
      expect(
        seen.sort((a, b) => a - b),
        sort,
      ).toEqual([kept, answered]);
    }
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(2);
  });
});
