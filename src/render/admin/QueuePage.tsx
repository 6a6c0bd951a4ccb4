import { SUSPENSION_HOURS } from '../../domain/moderation.js';
import { messages } from '../../messages.js';
import type { QueueItem, QueuePage as Page, QueueTab } from '../../services/moderation.js';
import { QUEUE_TABS } from '../../services/moderation.js';
import { AdminShell, FormBasics, Shortcuts, shortDateTime, Time } from './parts.js';

const m = messages.moderation;

export interface QueuePageProps {
  page: Page;
  csrf: string;
  /** Whether the viewer may suspend or ban this author (domain/permissions.ts decides). */
  mayActOn: (author: QueueItem['author']) => boolean;
  isAdmin: boolean;
  timeZone: string;
  now: Date;
  /** Where forms bring the moderator back to (this tab and page). */
  back: string;
  status: { ok: boolean; text: string } | null;
}

const reasonText = (reason: string) => m.reasons[reason] ?? reason;

/** A toggle button: the script swaps op and label after it succeeds, so no reload is needed. */
function Toggle(p: { on: boolean; id: number; ops: [string, string]; labels: [string, string]; shortcut?: string }) {
  const [onOp, offOp] = p.ops;
  const [onLabel, offLabel] = p.labels;
  return (
    <button
      type="submit"
      name="op"
      value={`${p.on ? offOp : onOp}:${p.id}`}
      data-alt-op={`${p.on ? onOp : offOp}:${p.id}`}
      data-alt-label={p.on ? onLabel : offLabel}
      data-key={p.shortcut}
    >
      {p.on ? offLabel : onLabel}
    </button>
  );
}

function Item({ item, p }: { item: QueueItem; p: QueuePageProps }) {
  const { comment: c, article: a, author: u, parent } = item;
  const days = Math.floor((p.now.getTime() - Date.parse(u.createdAt)) / 86_400_000);
  const canActOnAuthor = p.mayActOn(u);
  const suspended = u.suspendedUntil !== null && Date.parse(u.suspendedUntil) > p.now.getTime();
  const head = `item-${c.id}-h`;
  const selectable = p.page.tab !== 'rejected' || c.status === 'rejected';
  return (
    <li class="queue-item">
      <article id={`item-${c.id}`} class="item" tabindex={-1} aria-labelledby={head} data-comment={c.id}>
        <header class="item-head">
          {selectable ? (
            <input
              type="checkbox"
              form="bulk"
              name="ids"
              value={String(c.id)}
              id={`sel-${c.id}`}
              class="item-select"
              aria-label={`${m.select}: ${m.itemLabel(u.name, a.title)}`}
            />
          ) : null}
          <h2 id={head}>
            {u.name} <span class="muted">{m.on}</span> <a href={`/articles/${encodeURIComponent(a.slug)}?comment=${c.id}#comment-${c.id}`}>{a.title}</a>
          </h2>
          <p class="item-meta">
            <Time at={c.createdAt} timeZone={p.timeZone} />
            {c.pinned ? <span class="badge">{m.pinnedBadge}</span> : null}
            {c.featured ? <span class="badge">{m.featuredBadge}</span> : null}
            {c.threadLocked ? <span class="badge">{m.lockedBadge}</span> : null}
            {a.policy === 'closed' ? <span class="badge">{m.closedBadge}</span> : null}
            <span>{m.score(c.up, c.down)}</span>
          </p>
        </header>
        {parent ? (
          <blockquote class="item-parent">
            <p class="muted">
              {m.inReplyTo(parent.authorName)}
              {m.parentStatus[parent.status] ?? ''}
            </p>
            <div dangerouslySetInnerHTML={{ __html: parent.bodyHtml }} />
          </blockquote>
        ) : null}
        <div class="item-body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        {c.reason ? (
          <p class="item-reason">
            <strong>{c.status === 'rejected' ? m.rejectedBecause : m.heldBecause}</strong> {reasonText(c.reason)}
          </p>
        ) : null}
        {c.bannedWords.length > 0 ? <p class="item-reason">{m.bannedFound(c.bannedWords.join(', '))}</p> : null}
        {item.reports.length > 0 ? (
          <section class="item-reports" aria-label={m.reportsHeading(item.reports.length)}>
            <h3>{m.reportsHeading(item.reports.length)}</h3>
            <ul>
              {item.reports.map((r) => (
                <li>
                  <strong>{m.reportReasons[r.reason] ?? r.reason}</strong>
                  {r.text ? <q>{r.text}</q> : null} <span class="muted">{m.reportBy(r.reporter)}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p class="item-author">
          <strong>{m.authorHeading}:</strong>{' '}
          <a href={`/admin/users/${u.id}`} data-key="h" aria-label={m.search.authorHistory(u.name)}>
            {u.name}
          </a>
          {m.roleBadge[u.role] ? <span class="badge">{m.roleBadge[u.role]}</span> : null}
          {u.banned ? <span class="badge danger">{m.bannedBadge}</span> : null}
          {suspended ? <span class="badge danger">{m.suspendedUntil(shortDateTime(u.suspendedUntil!, p.timeZone))}</span> : null} ·{' '}
          {m.history(u.comments, u.published, u.rejectedRecently)} · {m.accountAge(days)}
        </p>
        <form class="item-actions" method="post" action="/admin/actions">
          <FormBasics csrf={p.csrf} back={p.back} />
          <div class="primary-actions">
            {c.status !== 'visible' || item.reports.length > 0 ? (
              <button type="submit" name="op" value={`approve:${c.id}`} class="approve" data-key="a">
                {m.approve}
              </button>
            ) : null}
            {c.status !== 'rejected' ? (
              <>
                <label>
                  {m.rejectReason} <input type="text" name="reason" value={m.rejectReasonDefault} maxLength={500} class="reason" />
                </label>
                <button type="submit" name="op" value={`reject:${c.id}`} class="reject" data-key="r">
                  {m.reject}
                </button>
              </>
            ) : null}
          </div>
          <details class="more-actions">
            <summary>{m.moreActions}</summary>
            <div class="action-row">
              {c.depth === 0 && c.status === 'visible' ? (
                <Toggle on={c.pinned} id={c.id} ops={['pin', 'unpin']} labels={[m.pin, m.unpin]} shortcut="p" />
              ) : null}
              {c.status === 'visible' || c.featured ? (
                <Toggle on={c.featured === true} id={c.id} ops={['feature', 'unfeature']} labels={[m.feature, m.unfeature]} />
              ) : null}
              <Toggle on={c.threadLocked} id={c.id} ops={['lock', 'unlock']} labels={[m.lock, m.unlock]} shortcut="l" />
              <Toggle on={a.policy === 'closed'} id={c.id} ops={['close', 'reopen']} labels={[m.closeArticle, m.reopenArticle]} />
            </div>
            {canActOnAuthor ? (
              <div class="action-row">
                {suspended ? (
                  <button type="submit" name="op" value={`unsuspend:${c.id}`}>
                    {m.unsuspend}
                  </button>
                ) : (
                  <>
                    <label>
                      {m.suspendFor}{' '}
                      <select name="hours">
                        {SUSPENSION_HOURS.map((h) => (
                          <option value={String(h)}>{m.durations[h]}</option>
                        ))}
                      </select>
                    </label>
                    <button type="submit" name="op" value={`suspend:${c.id}`}>
                      {m.suspend}
                    </button>
                  </>
                )}
                <Toggle on={u.banned} id={c.id} ops={['ban', 'unban']} labels={[m.ban, m.unban]} />
              </div>
            ) : null}
          </details>
        </form>
        {c.status !== 'deleted' ? (
          <details class="item-edit">
            <summary>{m.edit}</summary>
            <form method="post" action="/admin/actions">
              <FormBasics csrf={p.csrf} back={p.back} />
              <label for={`body-${c.id}`}>{m.editLabel}</label>
              <textarea id={`body-${c.id}`} name="body" rows={6}>
                {c.bodySrc}
              </textarea>
              <button type="submit" name="op" value={`edit:${c.id}`}>
                {m.saveEdit}
              </button>
            </form>
          </details>
        ) : null}
      </article>
    </li>
  );
}

function Tabs({ page }: { page: Page }) {
  return (
    <nav class="queue-tabs" aria-label={m.tabsLabel}>
      <ul>
        {QUEUE_TABS.map((t: QueueTab, i) => (
          <li>
            <a href={`/admin?tab=${t}`} aria-current={page.tab === t ? 'page' : undefined} data-key={String(i + 1)}>
              {m.tabCount(m.tabs[t], page.counts[t])}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The moderation queue: server-rendered and usable without script; admin.js adds the keyboard. */
export function QueuePage(p: QueuePageProps) {
  const { page } = p;
  const label = m.tabs[page.tab];
  return (
    <AdminShell section="queue" isAdmin={p.isAdmin} heading={m.heading} status={p.status}>
      <Tabs page={page} />
      <Shortcuts keys={m.shortcuts} />
      {page.items.length === 0 ? (
        <p class="queue-empty">{m.empty[page.tab]}</p>
      ) : (
        <>
          <form id="bulk" class="bulk" method="post" action="/admin/actions">
            <FormBasics csrf={p.csrf} back={p.back} />
            <fieldset>
              <legend>{m.bulkHeading}</legend>
              <button type="submit" name="op" value="bulk:approve">
                {m.bulkApprove}
              </button>
              {page.tab !== 'rejected' ? (
                <>
                  <label>
                    {m.rejectReason} <input type="text" name="reason" value={m.rejectReasonDefault} maxLength={500} />
                  </label>
                  <button type="submit" name="op" value="bulk:reject">
                    {m.bulkReject}
                  </button>
                </>
              ) : null}
            </fieldset>
          </form>
          <ol class="queue" aria-label={m.queueLabel(label)} data-tab={page.tab}>
            {page.items.map((item) => (
              <Item item={item} p={p} />
            ))}
          </ol>
        </>
      )}
      {page.nextCursor ? (
        <p>
          <a href={`/admin?tab=${page.tab}&cursor=${encodeURIComponent(page.nextCursor)}`}>{m.nextPage}</a>
        </p>
      ) : null}
    </AdminShell>
  );
}
