import type { ComponentChildren } from 'preact';
import { messages } from '../../messages.js';
import { currentLocale } from '../../messages/scope.js';

const m = messages.moderation;
const formats = new Map<string, Intl.DateTimeFormat>();

/** "20 Nov 2026, 12:00" (in English) in the publication's time zone: moderators compare exact times. */
export function shortDateTime(d: Date | string, timeZone: string): string {
  const lang = currentLocale();
  const key = `${lang} ${timeZone}`;
  let f = formats.get(key);
  // English as in Britain: day before month, a 24-hour clock.
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { dateStyle: 'medium', timeStyle: 'short', timeZone })));
  return f.format(typeof d === 'string' ? new Date(d) : d);
}

export function Time({ at, timeZone }: { at: string; timeZone: string }) {
  return <time datetime={at}>{shortDateTime(at, timeZone)}</time>;
}

/** Hidden fields every dashboard form carries: the session's CSRF token and where to come back to. */
export function FormBasics({ csrf, back }: { csrf: string; back: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="back" value={back} />
    </>
  );
}

export type AdminSection = 'queue' | 'search' | 'audit' | 'settings';

/** The dashboard's own navigation; the audit log and settings are for admins only. */
export function AdminShell(p: {
  section: AdminSection;
  isAdmin: boolean;
  heading: string;
  status?: { ok: boolean; text: string } | null;
  children: ComponentChildren;
}) {
  const link = (section: AdminSection, href: string, label: string) => (
    <li>
      <a href={href} aria-current={p.section === section ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <div class="admin">
      <link rel="stylesheet" href="/static/admin.css" />
      <nav class="admin-nav" aria-label={m.heading}>
        <ul>
          {link('queue', '/admin', m.nav.queue)}
          {link('search', '/admin/search', m.search.nav)}
          {p.isAdmin ? link('audit', '/admin/audit', m.nav.audit) : null}
          {p.isAdmin ? link('settings', '/admin/settings', m.nav.settings) : null}
        </ul>
      </nav>
      <h1>{p.heading}</h1>
      {/* Always present, so screen readers announce what the script writes into it later. */}
      <p id="admin-status" class={`admin-status${p.status && !p.status.ok ? ' error' : ''}`} role="status" aria-live="polite">
        {p.status?.text ?? ''}
      </p>
      {p.children}
    </div>
  );
}

/** The keys a dashboard page answers to, folded away under their heading. */
export function Shortcuts({ keys }: { keys: readonly (readonly string[])[] }) {
  return (
    <details class="shortcuts">
      <summary>{messages.moderation.shortcutsHeading}</summary>
      <dl>
        {keys.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
