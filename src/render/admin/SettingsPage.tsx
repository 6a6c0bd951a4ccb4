import type { ModerationSettings } from '../../domain/moderation.js';
import type { User } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { AdminShell, FormBasics } from './parts.js';

const m = messages.moderation;
const s = m.settings;

export function SettingsPage(p: { settings: ModerationSettings; staff: User[]; csrf: string; status: { ok: boolean; text: string } | null }) {
  return (
    <AdminShell section="settings" isAdmin heading={s.heading} status={p.status}>
      <form class="settings-form" method="post" action="/admin/settings">
        <FormBasics csrf={p.csrf} back="/admin/settings" />
        <p class="hint">{s.intro}</p>
        <label class="check">
          <input type="checkbox" name="premoderateAll" value="1" checked={p.settings.premoderateAll} /> {s.premoderateAll}
        </label>
        <label class="check">
          <input type="checkbox" name="premoderateLinks" value="1" checked={p.settings.premoderateLinks} /> {s.premoderateLinks}
        </label>
        <label for="newAccountComments">{s.newAccountComments}</label>
        <input type="number" id="newAccountComments" name="newAccountComments" min={0} max={1000} value={String(p.settings.newAccountComments)} />
        <label for="bannedWords">{s.bannedWords}</label>
        <textarea id="bannedWords" name="bannedWords" rows={8}>
          {p.settings.bannedWords.join('\n')}
        </textarea>
        <button type="submit">{s.save}</button>
      </form>
      <section class="roles" aria-labelledby="roles-heading">
        <h2 id="roles-heading">{s.rolesHeading}</h2>
        <ul>
          {p.staff.map((u) => (
            <li>
              {u.displayName} &lt;{u.email}&gt; — {s.roles[u.role]}
            </li>
          ))}
        </ul>
        <form class="role-form" method="post" action="/admin/roles">
          <FormBasics csrf={p.csrf} back="/admin/settings" />
          <label for="role-email">{s.roleEmail}</label>
          <input type="email" id="role-email" name="email" required maxLength={254} autocomplete="off" />
          <label for="role-select">{s.role}</label>
          <select id="role-select" name="role">
            {(['reader', 'moderator', 'admin'] as const).map((r) => (
              <option value={r}>{s.roles[r]}</option>
            ))}
          </select>
          <button type="submit">{s.setRole}</button>
        </form>
      </section>
    </AdminShell>
  );
}
