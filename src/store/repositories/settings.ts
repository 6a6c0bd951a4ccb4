import { Repository } from './repository.js';

/** Site-wide key/value settings shared by every node (the pre-moderation rules, the meter's key). */
export class SettingsRepository extends Repository {
  /** A shared setting; the first node to start stores `initial`, and every node reads the same value. */
  async getOrInit(key: string, initial: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key, value: initial })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return r.value;
  }

  async get(key: string): Promise<string | null> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value ?? null;
  }

  async put(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
