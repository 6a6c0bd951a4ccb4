import { SEARCH_STATUSES } from '../../domain/comment-search.js';
import type { HistoryReport, ReaderHistory } from '../../domain/search-views.js';
import { messages } from '../../messages.js';
import { AdminShell, shortDateTime, Time } from './parts.js';
import { ResultList } from './SearchPage.js';
import { currentLocale } from '../../messages/scope.js';

const m = messages.moderation;
const h = m.userHistory;

/** The reason a moderator gave for an action, when they gave one. */
const reasonOf = (d: Record<string, unknown>) => (typeof d.reason === 'string' ? d.reason : '');

/** `/admin/search` with these filters; dots and @ stay readable. */
const searchHref = (params: Record<string, string>) => `/admin/search?${new URLSearchParams(params).toString()}`;

function Reports({ items, side, timeZone }: { items: HistoryReport[]; side: 'against' | 'by'; timeZone: string }) {
  return (
    <ul class="history-list">
      {items.map((r) => (
        <li>
          <strong>{m.reportReasons[r.reason] ?? r.reason}</strong> <Time at={r.createdAt} timeZone={timeZone} />{' '}
          {side === 'against' ? (
            <span>
              {m.reportBy('')}
              <a href={`/admin/users/${r.reporter.id}`}>{r.reporter.name}</a>
            </span>
          ) : (
            <span>
              {h.against('')}
              <a href={`/admin/users/${r.commentAuthor.id}`}>{r.commentAuthor.name}</a>
            </span>
          )}{' '}
          · <span class="muted">{h.onComment(r.commentId)}</span> · <span class={r.resolvedAt ? 'muted' : 'badge'}>{r.resolvedAt ? h.settled : h.open}</span>
          {r.text ? <q>{r.text}</q> : null}
        </li>
      ))}
    </ul>
  );
}

/** One reader's history for moderators: a page, so it works without script and can be linked. */
export function HistoryPage(p: { history: ReaderHistory; isAdmin: boolean; timeZone: string; nextHref: string | null }) {
  const { user: u, statusCounts, comments, reportsAgainst, reportsMade, actions } = p.history;
  const total = SEARCH_STATUSES.reduce((n, s) => n + statusCounts[s], 0);
  const section = (id: string, title: string, shown: number, all: number) => (
    <h2 id={id}>
      {title} <span class="muted count">({all > shown ? h.latest(shown, all) : all.toLocaleString(currentLocale())})</span>
    </h2>
  );
  return (
    <AdminShell section="search" isAdmin={p.isAdmin} heading={h.heading(u.name)}>
      <section class="history-account" aria-labelledby="history-account">
        <h2 id="history-account">{h.account}</h2>
        <dl class="history-facts">
          <div>
            <dt>{h.email}</dt>
            <dd>{u.email}</dd>
          </div>
          <div>
            <dt>{h.joined}</dt>
            <dd>
              <Time at={u.createdAt} timeZone={p.timeZone} />
              {m.roleBadge[u.role] ? <span class="badge">{m.roleBadge[u.role]}</span> : null}
              {u.banned ? <span class="badge danger">{m.bannedBadge}</span> : null}
              {u.suspendedUntil && Date.parse(u.suspendedUntil) > Date.now() ? (
                <span class="badge danger">{m.suspendedUntil(shortDateTime(u.suspendedUntil, p.timeZone))}</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{h.byStatus}</dt>
            <dd>
              <ul class="status-counts">
                {SEARCH_STATUSES.map((s) => (
                  <li>
                    {statusCounts[s] > 0 ? (
                      <a href={searchHref({ author: u.email, status: s })}>
                        {m.search.statuses[s]}: {statusCounts[s].toLocaleString(currentLocale())}
                      </a>
                    ) : (
                      <span class="muted">
                        {m.search.statuses[s]}: {statusCounts[s].toLocaleString(currentLocale())}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        </dl>
        {total > 0 ? (
          <p>
            <a href={searchHref({ author: u.email })}>{h.searchAll(total)}</a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="history-comments">
        {section('history-comments', h.commentsHeading, comments.results.length, comments.total)}
        {comments.results.length === 0 ? (
          <p>{h.noComments}</p>
        ) : (
          <ResultList results={comments.results} timeZone={p.timeZone} label={h.commentsHeading} showAuthor={false} />
        )}
        {p.nextHref ? (
          <p>
            <a href={p.nextHref}>{m.nextPage}</a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="history-against">
        {section('history-against', h.reportsAgainst, reportsAgainst.items.length, reportsAgainst.total)}
        {reportsAgainst.items.length === 0 ? <p>{h.noReportsAgainst}</p> : <Reports items={reportsAgainst.items} side="against" timeZone={p.timeZone} />}
      </section>
      <section aria-labelledby="history-made">
        {section('history-made', h.reportsMade, reportsMade.items.length, reportsMade.total)}
        {reportsMade.items.length === 0 ? <p>{h.noReportsMade}</p> : <Reports items={reportsMade.items} side="by" timeZone={p.timeZone} />}
      </section>
      <section aria-labelledby="history-actions">
        {section('history-actions', h.actions, actions.items.length, actions.total)}
        {actions.items.length === 0 ? (
          <p>{h.noActions}</p>
        ) : (
          <ul class="history-list">
            {actions.items.map((a) => (
              <li>
                <Time at={a.at} timeZone={p.timeZone} /> <code>{a.action}</code>{' '}
                <span>{a.targetType === 'comment' && a.targetId !== null ? h.onComment(a.targetId) : ''}</span>{' '}
                <span class="muted">{a.actor ? m.reportBy(a.actor.name) : m.audit.system}</span>
                {reasonOf(a.details) ? <q>{reasonOf(a.details)}</q> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        <a href="/admin/search">{h.backToSearch}</a>
      </p>
    </AdminShell>
  );
}
