import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Connection, Dialect } from './connect.js';
import * as core from './migrations/001_core.js';
import * as events from './migrations/002_events.js';
import * as notifications from './migrations/003_notifications.js';
import * as moderation from './migrations/004_moderation.js';
import * as billing from './migrations/005_billing.js';
import * as anchors from './migrations/006_anchors.js';
import * as ssoTokens from './migrations/007_sso_tokens.js';
import * as imports from './migrations/008_import.js';
import * as ssoIdentities from './migrations/009_sso_identities.js';
import * as idempotency from './migrations/010_idempotency.js';
import * as eventSeq from './migrations/011_event_seq.js';
import * as webhookPayload from './migrations/012_webhook_payload.js';
import * as articleAuthor from './migrations/013_article_author.js';
import * as featured from './migrations/014_featured.js';
import * as commentSearch from './migrations/015_comment_search.js';
import * as mutes from './migrations/016_mutes.js';
import * as commentsByArticle from './migrations/017_comments_by_article.js';
import * as partialCommentIndexes from './migrations/018_partial_comment_indexes.js';
import * as searchIndexPerBatch from './migrations/019_search_index_per_batch.js';
import * as pendingByAuthor from './migrations/020_pending_by_author.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Ordered list: append new migrations, never edit a released one. */
const migrations: Record<string, DialectMigration> = {
  '001_core': core,
  '002_events': events,
  '003_notifications': notifications,
  '004_moderation': moderation,
  '005_billing': billing,
  '006_anchors': anchors,
  '007_sso_tokens': ssoTokens,
  '008_import': imports,
  '009_sso_identities': ssoIdentities,
  '010_idempotency': idempotency,
  '011_event_seq': eventSeq,
  '012_webhook_payload': webhookPayload,
  '013_article_author': articleAuthor,
  '014_featured': featured,
  '015_comment_search': commentSearch,
  '016_mutes': mutes,
  '017_comments_by_article': commentsByArticle,
  '018_partial_comment_indexes': partialCommentIndexes,
  '019_search_index_per_batch': searchIndexPerBatch,
  '020_pending_by_author': pendingByAuthor,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.dialect) }]));
  }
}

/** Brings the schema up to date. Safe to run from several nodes at once (Kysely locks). */
export async function migrate(conn: Connection): Promise<string[]> {
  // Features land in parallel branches, so a database may have run 005 before 004 arrived.
  const migrator = new Migrator({ db: conn.db, provider: new StaticProvider(conn.dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
