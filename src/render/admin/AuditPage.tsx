import { messages } from '../../messages.js';
import type { AuditEntry } from '../../services/moderation.js';
import { AdminShell, Time } from './parts.js';

const m = messages.moderation;

/** Details as `key: value` pairs; values are text, never markup. */
function Details({ d }: { d: Record<string, unknown> }) {
  const entries = Object.entries(d);
  if (entries.length === 0) return null;
  return (
    <ul class="audit-details">
      {entries.map(([k, v]) => (
        <li>
          <span class="muted">{k}:</span> {typeof v === 'string' ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

export function AuditPage(p: { entries: AuditEntry[]; nextCursor: string | null; timeZone: string }) {
  return (
    <AdminShell section="audit" isAdmin heading={m.audit.heading}>
      {p.entries.length === 0 ? (
        <p>{m.audit.empty}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={m.audit.heading}>
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{m.audit.when}</th>
                <th scope="col">{m.audit.who}</th>
                <th scope="col">{m.audit.action}</th>
                <th scope="col">{m.audit.target}</th>
                <th scope="col">{m.audit.details}</th>
              </tr>
            </thead>
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td>
                    <Time at={e.at} timeZone={p.timeZone} />
                  </td>
                  <td>{e.actor ? `${e.actor.name} <${e.actor.email}>` : m.audit.system}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.targetId === null ? e.targetType : `${e.targetType} ${e.targetId}`}</td>
                  <td>
                    <Details d={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.nextCursor ? (
        <p>
          <a href={`/admin/audit?cursor=${encodeURIComponent(p.nextCursor)}`}>{m.audit.older}</a>
        </p>
      ) : null}
    </AdminShell>
  );
}
