import type { Role, User } from '../../domain/types.js';
import type { Kysely } from 'kysely';
import type { AccountWrites } from '../account-writes.js';
import type { Dialect } from '../connect.js';
import { toUser } from '../rows.js';
import type { Database } from '../schema.js';
import { Repository } from './repository.js';

export interface SessionRecord {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Accounts and how people prove who they are: users, sessions, sign-in and email-change tokens,
 * and the publishers' single sign-on identities.
 */
export class UsersRepository extends Repository {
  constructor(
    db: Kysely<Database>,
    dialect: Dialect,
    /** Told of each change to a user or their sessions: sessions kept in memory must forget them. */
    private readonly writes: AccountWrites,
  ) {
    super(db, dialect);
  }

  // ---- accounts ------------------------------------------------------------------------------------

  async byId(id: number): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async byEmail(email: string): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async byIds(ids: readonly number[]): Promise<User[]> {
    if (ids.length === 0) return [];
    return (
      await this.db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute()
    ).map(toUser);
  }

  /** Returns the user with this email, creating it if new; concurrent callers get the same row. */
  async ensure(email: string, displayName: string, now: Date): Promise<User> {
    await this.db
      .insertInto('users')
      .values({ email: email.toLowerCase(), display_name: displayName, role: 'reader', created_at: now.getTime(), banned: 0, suspended_until: null })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();
    return (await this.byEmail(email))!;
  }

  /** A new reader with this email, or null if the address is taken (never someone else's row). */
  async create(email: string, displayName: string, now: Date): Promise<User | null> {
    const r = await this.db
      .insertInto('users')
      .values({ email: email.toLowerCase(), display_name: displayName, role: 'reader', created_at: now.getTime(), banned: 0, suspended_until: null })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r ? this.byId(Number(r.id)) : null;
  }

  async setDisplayName(userId: number, name: string): Promise<void> {
    await this.db.updateTable('users').set({ display_name: name }).where('id', '=', userId).execute();
    this.writes.wrote({ userId });
  }

  async setEmail(userId: number, email: string): Promise<void> {
    await this.db.updateTable('users').set({ email: email.toLowerCase() }).where('id', '=', userId).execute();
    this.writes.wrote({ userId });
  }

  /**
   * Strips a user down to an anonymous row that their comments (and others' replies to them)
   * can keep pointing at: no address, no sessions, subscriptions, follows or reading history.
   * It reaches into other repositories' tables on purpose: erasing a person is one act, done in
   * the caller's transaction, and belongs with the account it empties.
   */
  async anonymise(userId: number, displayName: string, placeholderEmail: string): Promise<void> {
    const user = await this.byId(userId);
    if (!user) return;
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('entitlements').where('user_id', '=', userId).execute();
    await this.db
      .deleteFrom('follows')
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', user.email)]))
      .execute();
    await this.db.deleteFrom('login_tokens').where('email', '=', user.email).execute();
    await this.db.deleteFrom('article_reads').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('stripe_customers').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('email_changes').where('user_id', '=', userId).execute();
    // Or the publisher's next sign-on would bring the person back into the emptied account.
    await this.db.deleteFrom('sso_identities').where('user_id', '=', userId).execute();
    // Recorded answers to keyed posts hold the words of the comments.
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).execute();
    await this.db
      .updateTable('users')
      .set({ display_name: displayName, email: placeholderEmail, role: 'reader', notify_token: null, notify_replies: 0 })
      .where('id', '=', userId)
      .execute();
    this.writes.wrote({ userId });
  }

  // ---- roles and sanctions -------------------------------------------------------------------------

  async staff(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('role', 'in', ['moderator', 'admin']).orderBy('role').orderBy('email').execute();
    return rows.map(toUser);
  }

  async countAdmins(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('banned', '=', 0)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async setRole(userId: number, role: Role): Promise<void> {
    await this.db.updateTable('users').set({ role }).where('id', '=', userId).execute();
    this.writes.wrote({ userId });
  }

  async setSuspension(userId: number, until: Date | null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ suspended_until: until?.getTime() ?? null })
      .where('id', '=', userId)
      .execute();
    this.writes.wrote({ userId });
  }

  async setBanned(userId: number, banned: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ banned: banned ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
    this.writes.wrote({ userId });
  }

  // ---- sessions ------------------------------------------------------------------------------------

  async createSession(idHash: string, userId: number, csrfToken: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id_hash: idHash, user_id: userId, csrf_token: csrfToken, created_at: now.getTime(), expires_at: expiresAt.getTime() })
      .execute();
  }

  async sessionByHash(idHash: string, now: Date): Promise<SessionRecord | null> {
    const r = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.expires_at', '>', now.getTime())
      .executeTakeFirst();
    if (!r) return null;
    return { user: toUser(r), csrfToken: r.csrf_token, expiresAt: new Date(Number(r.expires_at)) };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    this.writes.wrote({ sessionHash: idHash });
  }

  async deleteSessionsOf(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    this.writes.wrote({ userId });
  }

  // ---- sign-in and email-change tokens -------------------------------------------------------------

  async createLoginToken(tokenHash: string, email: string, returnTo: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('login_tokens')
      .values({
        token_hash: tokenHash,
        email: email.toLowerCase(),
        return_to: returnTo,
        created_at: now.getTime(),
        expires_at: expiresAt.getTime(),
        used_at: null,
      })
      .execute();
  }

  /** Marks a sign-in token used and returns it, once: a second click finds nothing. */
  async consumeLoginToken(tokenHash: string, now: Date): Promise<{ email: string; returnTo: string } | null> {
    const r = await this.db
      .updateTable('login_tokens')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning(['email', 'return_to'])
      .executeTakeFirst();
    return r ? { email: r.email, returnTo: r.return_to } : null;
  }

  async createEmailChange(tokenHash: string, userId: number, newEmail: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('email_changes')
      .values({
        token_hash: tokenHash,
        user_id: userId,
        new_email: newEmail.toLowerCase(),
        created_at: now.getTime(),
        expires_at: expiresAt.getTime(),
        used_at: null,
      })
      .execute();
  }

  /** Marks an email-change token used and returns it, once. */
  async consumeEmailChange(tokenHash: string, now: Date): Promise<{ userId: number; newEmail: string } | null> {
    const r = await this.db
      .updateTable('email_changes')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning(['user_id', 'new_email'])
      .executeTakeFirst();
    return r ? { userId: Number(r.user_id), newEmail: r.new_email } : null;
  }

  // ---- single sign-on ------------------------------------------------------------------------------

  /** The account a publisher's (issuer, subject) is bound to. */
  async bySsoIdentity(issuer: string, subject: string): Promise<User | null> {
    const r = await this.db
      .selectFrom('sso_identities')
      .innerJoin('users', 'users.id', 'sso_identities.user_id')
      .selectAll('users')
      .where('sso_identities.issuer', '=', issuer)
      .where('sso_identities.subject', '=', subject)
      .executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** Binds (issuer, subject) to a user; false if it was already bound (to anyone). */
  async bindSsoIdentity(issuer: string, subject: string, userId: number, now: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('sso_identities')
      .values({ issuer, subject, user_id: userId, created_at: now.getTime() })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    return r !== undefined;
  }

  /**
   * The user a publisher's SSO subject was seen with before sign-on kept identities (the subject
   * was only noted on the entitlement then); users bound since are not found here.
   */
  async bySsoSubject(sub: string): Promise<User | null> {
    const r = await this.db
      .selectFrom('entitlements')
      .innerJoin('users', 'users.id', 'entitlements.user_id')
      .selectAll('users')
      .where('entitlements.source', '=', 'sso')
      .where('entitlements.external_ref', '=', sub)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('sso_identities').select('sso_identities.user_id').whereRef('sso_identities.user_id', '=', 'users.id'))))
      .orderBy('entitlements.id')
      .limit(1)
      .executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** Records a used SSO token id (a hash of issuer and jti); false if it was used before. Expired records are swept on the way. */
  async useSsoToken(tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    await this.db.deleteFrom('sso_tokens_used').where('expires_at', '<', now.getTime()).execute();
    const r = await this.db
      .insertInto('sso_tokens_used')
      .values({ token_hash: tokenHash, expires_at: expiresAt.getTime() })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .returning('token_hash')
      .executeTakeFirst();
    return r !== undefined;
  }
}
