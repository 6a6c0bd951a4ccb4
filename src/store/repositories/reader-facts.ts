import { sql } from 'kysely';
import type { ReaderFollow } from '../../domain/notify.js';
import type { VoteValue } from '../../domain/votes.js';
import { type ArticleStamp, articleStamp } from './articles.js';
import { toReaderFollow } from './notifications.js';
import { prepare } from '../prepared.js';
import { Repository } from './repository.js';

/** What a signed-in reader's view of an article adds to the page all readers share. */
export interface ReaderFacts {
  /** As ArticlesRepository.stampOf gives it; null when there is no such article. */
  article: ArticleStamp | null;
  /** Whom the reader muted. */
  muted: number[];
  /** The reader's votes on the comments asked about. */
  votes: Map<number, VoteValue>;
  /** Whether any of the reader's comments on the article await moderation (nearly never). */
  hasPending: boolean;
  follow: ReaderFollow;
}

/** One row of the union below: which fact (`kind`) and its values; unused columns are 0 or null. */
interface FactRow {
  kind: 'a' | 'm' | 'v' | 'p' | 'f';
  a: number | string | null;
  b: number | string | null;
  c: number | string | null;
  t: string | null;
}

/**
 * Everything a signed-in reader's article page asks the database, in one statement. Each view
 * used to ask five questions one after another; on PostgreSQL every round trip costs the node
 * about 0.2 ms of CPU, which made these questions most of a signed-in view's cost.
 *
 * The facts differ in shape, so each is a branch of a UNION ALL with the same five columns,
 * which both databases run as written. The comments asked about go as one value (an array on
 * PostgreSQL, JSON on SQLite), so the statement is the same for every page and is prepared once
 * (prepared.ts) rather than built for each view. The pending probe is CommentsRepository.pendingBy's,
 * whose comment says why its status is a literal.
 */
const readerFacts = prepare<{ userId: number; articleId: number; ids: string }>()(
  (_db, p, dialect) => sql<FactRow>`
    select 'a' as kind, updated_at as a, comment_count as b, 0 as c, policy_override as t from articles where id = ${p.articleId}
    union all select 'm', muted_id, 0, 0, null from mutes where muter_id = ${p.userId}
    union all select 'p', id, 0, 0, null from (select id from comments
      where author_id = ${p.userId} and article_id = ${p.articleId} and status = 'pending' limit 1) held
    union all select 'f', u.notify_replies, coalesce(f.confirmed, 0), coalesce(f.featured, 0), u.digest
      from users u left join follows f on f.email = u.email and f.article_id = ${p.articleId} where u.id = ${p.userId}
    union all select 'v', comment_id, value, 0, null from votes where user_id = ${p.userId} and comment_id ${
      dialect === 'postgres' ? sql`= any(${p.ids}::bigint[])` : sql`in (select value from json_each(${p.ids}))`
    }`,
);

/**
 * A list of comment ids as the statement takes it: a PostgreSQL array literal or JSON, both text.
 * Written once per list: callers ask again and again with the same (frozen) list of a page's
 * comments, and writing it out, a driver's escaping of each element included, was a few percent
 * of a signed-in view's CPU.
 */
const idsParam = { postgres: new WeakMap<readonly number[], string>(), sqlite: new WeakMap<readonly number[], string>() };

function idsAsText(ids: readonly number[], dialect: 'postgres' | 'sqlite'): string {
  let text = idsParam[dialect].get(ids);
  if (text === undefined) {
    // Integers only, so neither form needs quoting.
    text = dialect === 'postgres' ? `{${ids.join(',')}}` : JSON.stringify(ids);
    if (Object.isFrozen(ids)) idsParam[dialect].set(ids, text);
  }
  return text;
}

/** What a signed-in reader's view of an article adds, read with `readerFacts` above. */
export class ReaderFactsRepository extends Repository {
  async of(userId: number, articleId: number, commentIds: readonly number[]): Promise<ReaderFacts> {
    const ids = idsAsText(commentIds, this.dialect);
    const rows = await this.prepared(readerFacts, { userId, articleId, ids });
    const facts: ReaderFacts = {
      article: null,
      muted: [],
      votes: new Map(),
      hasPending: false,
      follow: { following: false, featured: false, replies: false, digest: 'instant' },
    };
    for (const r of rows) {
      if (r.kind === 'a') facts.article = articleStamp(r.a, r.b, r.t);
      else if (r.kind === 'm') facts.muted.push(Number(r.a));
      else if (r.kind === 'v') facts.votes.set(Number(r.a), Number(r.b) as VoteValue);
      else if (r.kind === 'p') facts.hasPending = true;
      else facts.follow = toReaderFollow({ notify_replies: Number(r.a), confirmed: Number(r.b), featured: Number(r.c), digest: r.t ?? 'instant' });
    }
    return facts;
  }
}
