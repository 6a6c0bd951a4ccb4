import { sql, type Kysely } from 'kysely';
import { AccountWrites, HeldAccountWrites } from './account-writes.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import { GroupCommit, MAX_BATCH, retriedWhole } from './group-commit.js';
import { STALE_PLAN } from './statement-names.js';
import { ArticlesRepository } from './repositories/articles.js';
import { BillingRepository } from './repositories/billing.js';
import { CommentSearchRepository } from './repositories/comment-search.js';
import { CommentsRepository } from './repositories/comments.js';
import { EventsRepository } from './repositories/events.js';
import { IdempotencyRepository } from './repositories/idempotency.js';
import { ModerationRepository } from './repositories/moderation.js';
import { MutesRepository } from './repositories/mutes.js';
import { NotificationsRepository } from './repositories/notifications.js';
import { ReaderFactsRepository } from './repositories/reader-facts.js';
import { SettingsRepository } from './repositories/settings.js';
import { UsersRepository } from './repositories/users.js';
import { VotesRepository } from './repositories/votes.js';

export type { ArticleInput, ArticleStamp } from './repositories/articles.js';
export { blankArticle } from './repositories/articles.js';
export type { NewComment, RepliesQuery, TopLevelQuery } from './repositories/comments.js';
export type { DiscussionEventType } from './repositories/events.js';
export type { IdempotentAnswer } from './repositories/idempotency.js';
export type { AuditRecord, ReportRecord } from './repositories/moderation.js';
export type { MutedReader } from './repositories/mutes.js';
export type { FollowRow, OutboxRow } from './repositories/notifications.js';
export type { ReaderFacts } from './repositories/reader-facts.js';
export type { SessionRecord } from './repositories/users.js';

/** Tries of a transaction PostgreSQL aborted as a deadlock or serialisation victim. */
const TRANSACTION_ATTEMPTS = 4;

/**
 * The storage facade: one repository per aggregate (see repositories/), all on one Kysely handle.
 * Kysely hides the dialect; where SQLite and PostgreSQL differ, the repository says why. A Store
 * whose repositories are bound to a transaction comes from `transaction`. Callers name the
 * repositories they use, e.g. `Pick<Store, 'comments' | 'transaction'>`.
 */
export class Store {
  readonly users: UsersRepository;
  readonly articles: ArticlesRepository;
  readonly comments: CommentsRepository;
  readonly votes: VotesRepository;
  readonly events: EventsRepository;
  readonly notifications: NotificationsRepository;
  readonly billing: BillingRepository;
  readonly moderation: ModerationRepository;
  readonly settings: SettingsRepository;
  readonly idempotency: IdempotencyRepository;
  /** Moderators' full-text search and readers' histories (issue 16). */
  readonly search: CommentSearchRepository;
  readonly mutes: MutesRepository;
  /** A signed-in reader's view of an article, in one question (see the repository). */
  readonly readerFacts: ReaderFactsRepository;
  private group: GroupCommit<Store> | null = null;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** Told of writes to users, sessions and entitlements, for the session cache (services/session-cache.ts). */
    readonly accountWrites: AccountWrites = new AccountWrites(),
  ) {
    this.users = new UsersRepository(db, dialect, accountWrites);
    this.articles = new ArticlesRepository(db, dialect);
    this.comments = new CommentsRepository(db, dialect);
    this.votes = new VotesRepository(db, dialect);
    this.events = new EventsRepository(db, dialect);
    this.notifications = new NotificationsRepository(db, dialect);
    this.billing = new BillingRepository(db, dialect, accountWrites);
    this.moderation = new ModerationRepository(db, dialect);
    this.settings = new SettingsRepository(db, dialect);
    this.idempotency = new IdempotencyRepository(db, dialect);
    this.search = new CommentSearchRepository(db, dialect);
    this.mutes = new MutesRepository(db, dialect);
    this.readerFacts = new ReaderFactsRepository(db, dialect);
  }

  /**
   * Runs `fn` in one transaction. On failure the caller gets the error that broke the transaction,
   * never the rollback's: SQLite rolls back by itself on SQLITE_FULL (and some I/O errors), so the
   * ROLLBACK that follows fails with "no transaction is active" and, thrown from Kysely's
   * `transaction().execute`, used to hide the disk-full error behind it.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    // PostgreSQL may abort one of two transactions that wait on each other (deadlock) or that
    // cannot be serialised, or one whose prepared statement a migration made stale (connect.ts);
    // nothing of it was applied, so running it again is safe and the reader never sees it.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(fn);
      } catch (err) {
        if (attempt >= TRANSACTION_ATTEMPTS || !(retriedWhole(err) || (err as { code?: unknown }).code === STALE_PLAN)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * Runs `fn`, a write to the article's discussion, in a transaction it may share with other such
   * writes that arrive meanwhile (group commit, see group-commit.ts): one commit and one fsync for
   * all of them, each settled only once that commit has returned. The article is locked once,
   * before any of them runs (articles.lock), and so are the posting locks of the authors they name
   * (`author`, idempotency.lockAuthorPosts), all in one round trip, and then the latest comments
   * of those authors, for their duplicate checks (comments.loadRecent). The article's count moves
   * in memory and is written once (comments.countLater; countLazily on SQLite), and the events
   * the writes queued (events.later) are appended together, both before the commit. SQLite has
   * one writer, so all its writes share one lane; PostgreSQL's run one per article, side by side.
   */
  async grouped<T>(articleId: number, fn: (tx: Store) => Promise<T>, author?: number): Promise<T> {
    if (this.db.isTransaction) {
      await this.articles.lock(articleId);
      const result = await fn(this);
      await this.events.flush();
      return result;
    }
    this.group ??= new GroupCommit<Store>(
      (work) => this.transaction(work),
      MAX_BATCH,
      async (tx, lane, authors, isolated) => {
        if (typeof lane !== 'number') {
          // SQLite's one lane: its posts' articles are known one post at a time.
          if (isolated) return;
          tx.comments.countLazily();
          await tx.search.deferIndexing();
          return;
        }
        const locked = await tx.articles.lock(lane);
        const held = await tx.idempotency.tryLockAuthors(authors);
        // What the batch keeps in memory a savepoint's rollback would not take back: writes
        // that run isolated ask the database each time.
        if (isolated) return;
        if (locked) tx.comments.countLater(lane, locked);
        // Their latest comments too, so the batch's duplicate checks ask nothing more.
        await tx.comments.loadRecent(held);
      },
      async (tx) => {
        await tx.comments.writeCounts();
        await tx.search.indexDeferred();
        await tx.events.flush();
      },
      this.dialect === 'postgres',
    );
    return this.group.run(this.dialect === 'sqlite' ? 'sqlite' : articleId, fn, author);
  }

  /** Settles once the writes queued for group commit are committed (or failed); see GroupCommit.settled. */
  async settled(): Promise<void> {
    await this.group?.settled();
  }

  private async once<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const trx = await this.db.startTransaction().execute();
    const writes = new HeldAccountWrites();
    try {
      const result = await fn(new Store(trx, this.dialect, writes));
      await trx.commit().execute();
      writes.release(this.accountWrites);
      return result;
    } catch (err) {
      // The rollback releases the connection even when it fails. A rollback that finds nothing to
      // roll back is the expected case above; any other rollback failure goes along with `err`.
      if (!trx.isCommitted && !trx.isRolledBack) {
        await trx
          .rollback()
          .execute()
          .catch((rollbackError: unknown) => {
            if (/no transaction is active/.test(String(rollbackError))) return;
            if (err !== null && typeof err === 'object' && Object.isExtensible(err)) Object.assign(err, { rollbackError: String(rollbackError) });
          });
      }
      throw err;
    }
  }

  /** A round trip to the database, for readiness checks. */
  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }
}
