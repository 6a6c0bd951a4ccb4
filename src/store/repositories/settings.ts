import { Repository } from './repository.js';

/** Site-wide key/value settings shared by every node (the pre-moderation rules, the meter's key). */
export class SettingsRepository extends Repository {
  /**
   * A shared setting; the first node to ask stores `initial`, and every node reads the same value.
   * Once stored it is only read: readers' pages ask for the meter's key, and a write there would
   * fail them on a full disk.
   */
  async getOrInit(key: string, initial: string): Promise<string> {
    const stored = await this.get(key);
    if (stored !== null) return stored;
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
