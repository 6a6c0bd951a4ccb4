import { renderMarkdown } from '../render/markdown.js';
import type { Parley } from '../server.js';
import { describeRange } from '../domain/anchoring.js';
import { anchorableText } from '../services/anchors.js';
import { demoDiscussion, demoPeople, type DemoComment } from './discussion.js';
import { demoPassages } from './passages.js';

export const DEMO_ARTICLE = 'night-trains';

export interface SeedReport {
  summary: string;
  instructions(baseUrl: string): string;
}

/** Deterministic choice of voters so the demo looks the same on every machine. */
function pick<T>(list: readonly T[], n: number, seed: number): T[] {
  const out: T[] = [];
  for (let i = 0; out.length < Math.min(n, list.length); i++) {
    const item = list[(seed * 7 + i * 13) % list.length]!;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/**
 * Fills the demo article's discussion: people, subscriptions, ~70 comments over three days with
 * votes, edits and a deletion. Does nothing if the discussion already has comments.
 */
export async function seedDemo(parley: Parley): Promise<SeedReport> {
  const { store, accounts } = parley;
  const article = await store.articles.bySlug(DEMO_ARTICLE);
  if (!article) throw new Error(`the demo needs content/${DEMO_ARTICLE}.md in CONTENT_DIR`);
  const now = new Date();
  const instructions = (baseUrl: string) =>
    [
      `Parley demo is ready at ${baseUrl}/articles/${DEMO_ARTICLE}`,
      `Sign in at ${baseUrl}/signin; with no SMTP_URL set, the sign-in link is printed in this log.`,
      `  as a subscriber:     reader@example.com`,
      `  as a non-subscriber: guest@example.com`,
      `  as an administrator: editor@example.com (moderation at ${baseUrl}/admin)`,
    ].join('\n');
  // Someone has to be able to open the moderation dashboard.
  await parley.moderation.setRoleByEmail('editor@example.com', 'admin', 'The Editor');
  if (
    article.commentCount > 0 ||
    (await store.comments.topLevel({ articleId: article.id, sort: 'oldest', maxId: Number.MAX_SAFE_INTEGER, after: null, limit: 1, viewerId: null })).length > 0
  ) {
    return { summary: 'demo discussion already present', instructions };
  }

  const span = Math.max(...demoDiscussion.map((c) => c.minutesAfterPublish + (c.editedAfterMinutes ?? 0)));
  const start = now.getTime() - (span + 45) * 60_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000);

  const people = new Map<string, number>();
  for (const p of demoPeople) {
    const user = await store.users.ensure(p.email, p.name, at(-60 * 24 * 90));
    people.set(p.key, user.id);
    if (p.subscriber) await accounts.grant(p.email, null);
  }
  const userIds = [...people.values()];
  const ids = new Map<string, number>();
  const ordered = [...demoDiscussion].sort((a, b) => a.minutesAfterPublish - b.minutesAfterPublish);

  await store.transaction(async (tx) => {
    for (const [n, c] of ordered.entries()) {
      const parent = c.parent ? await tx.comments.byId(ids.get(c.parent)!) : null;
      const authorId = people.get(c.author)!;
      const id = await tx.comments.insert({
        articleId: article.id,
        parentId: parent?.id ?? null,
        rootId: parent ? (parent.rootId ?? parent.id) : null,
        depth: parent ? parent.depth + 1 : 0,
        authorId,
        bodySrc: c.body,
        bodyHtml: renderMarkdown(c.body),
        status: 'visible',
        createdAt: at(c.minutesAfterPublish),
      });
      ids.set(c.key, id);
      const others = userIds.filter((u) => u !== authorId);
      const ups = pick(others, c.up ?? 0, n);
      const downs = pick(
        others.filter((u) => !ups.includes(u)),
        c.down ?? 0,
        n + 3,
      );
      for (const u of ups) await tx.votes.set(id, u, 1, at(c.minutesAfterPublish + 5));
      for (const u of downs) await tx.votes.set(id, u, -1, at(c.minutesAfterPublish + 5));
    }
    for (const c of ordered.filter((x: DemoComment) => x.editedBody)) {
      const id = ids.get(c.key)!;
      await tx.comments.edit(id, c.editedBody!, renderMarkdown(c.editedBody!), people.get(c.author)!, at(c.minutesAfterPublish + (c.editedAfterMinutes ?? 30)));
    }
    // Editors' picks, chosen by the editor an hour after each was posted.
    const editor = (await tx.users.byEmail('editor@example.com'))!;
    for (const c of ordered.filter((x) => x.featured)) await tx.comments.setFeatured(ids.get(c.key)!, editor.id, at(c.minutesAfterPublish + 60));
    for (const c of ordered.filter((x) => x.deleted)) {
      const row = await tx.comments.byId(ids.get(c.key)!);
      await tx.comments.delete(row!, at(span));
    }
    // Passage comments for the Inline Feedbacks tab, placed as a reader's selection would place them.
    const text = anchorableText(article.body);
    for (const [n, c] of demoPassages.entries()) {
      const start = text.indexOf(c.passage);
      if (start < 0) throw new Error(`demo passage ${c.key} is no longer in content/${DEMO_ARTICLE}.md: "${c.passage}"`);
      const end = start + c.passage.length;
      const authorId = people.get(c.author)!;
      const id = await tx.comments.insert({
        articleId: article.id,
        parentId: null,
        rootId: null,
        depth: 0,
        authorId,
        bodySrc: c.body,
        bodyHtml: renderMarkdown(c.body),
        status: 'visible',
        createdAt: at(c.minutesAfterPublish),
        anchor: { selectors: describeRange(text, start, end), start, end },
      });
      for (const u of pick(
        userIds.filter((x) => x !== authorId),
        c.up ?? 0,
        100 + n,
      ))
        await tx.votes.set(id, u, 1, at(c.minutesAfterPublish + 5));
      for (const r of c.replies ?? []) {
        const replyAuthor = people.get(r.author)!;
        const reply = await tx.comments.insert({
          articleId: article.id,
          parentId: id,
          rootId: id,
          depth: 1,
          authorId: replyAuthor,
          bodySrc: r.body,
          bodyHtml: renderMarkdown(r.body),
          status: 'visible',
          createdAt: at(r.minutesAfterPublish),
        });
        for (const u of pick(
          userIds.filter((x) => x !== replyAuthor),
          r.up ?? 0,
          200 + n,
        ))
          await tx.votes.set(reply, u, 1, at(r.minutesAfterPublish + 5));
      }
    }
  });
  await seedModerationQueue(parley, article.id, ids.get(REPORTED)!, at(-60 * 24 * 90));
  return {
    summary: `demo discussion created: ${ordered.length + demoPassages.reduce((n, c) => n + 1 + (c.replies?.length ?? 0), 0)} comments by ${demoPeople.length} people, 2 items for the moderators`,
    instructions,
  };
}

/** The comment readers report as off-topic in the demo (it says so itself). */
const REPORTED = 'c48';

/**
 * Work waiting in the moderators' queue, through the same rules and reports readers meet: a
 * comment held by the banned-word list, and a comment reported twice (below the hiding threshold).
 */
async function seedModerationQueue(parley: Parley, articleId: number, reportedId: number, longAgo: Date): Promise<void> {
  const { store, accounts, moderation, discussions } = parley;
  const actor = async (email: string) => accounts.actorFor((await store.users.byEmail(email))!);
  const editor = await actor('editor@example.com');
  const rules = await moderation.settings(editor);
  await moderation.saveSettings(editor, { ...rules, bannedWords: [...new Set([...rules.bannedWords, 'clowns'])] });
  await store.users.ensure('rex.ranter@example.com', 'Rex Ranter', longAgo);
  await accounts.grant('rex.ranter@example.com', null);
  await discussions.post(await actor('rex.ranter@example.com'), articleId, 'Only clowns pay for a bed on a train. Fly like an adult.', null);
  for (const email of ['jon.marsh@example.com', 'pete.lindqvist@example.com']) {
    await moderation.report(await actor(email), reportedId, 'off_topic', 'Nothing to do with the article.');
  }
}
