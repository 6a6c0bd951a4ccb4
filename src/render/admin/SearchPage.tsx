import { SEARCH_STATUSES } from '../../domain/comment-search.js';
import type { SearchPage as Page, SearchResult } from '../../domain/search-views.js';
import { messages } from '../../messages.js';
import { AdminShell, FormBasics, Shortcuts, Time } from './parts.js';

const m = messages.moderation;

/** The search form's fields as typed (strings), so the page shows back what was asked. */
export interface SearchForm {
  q: string;
  author: string;
  article: string;
  status: string;
  from: string;
  to: string;
  reports: string;
}

export const EMPTY_FORM: SearchForm = { q: '', author: '', article: '', status: '', from: '', to: '', reports: '' };

/**
 * Highlighted words as <mark>. Preact escapes each part's text, so a comment's own markup is shown
 * as text; only the engine's match markers, already split out, become elements.
 */
export function Snippet({ parts }: { parts: SearchResult['snippet'] }) {
  return <p class="snippet">{parts.map((p) => (p.match ? <mark>{p.text}</mark> : p.text))}</p>;
}

/** Where a dashboard form returns to, and its session token: results carry approve and reject. */
export interface ResultActions {
  csrf: string;
  back: string;
}

/**
 * A dashboard address in the only characters /admin/actions accepts as a way back (letters,
 * digits, _ - = & %): everything else in a value is percent-encoded.
 */
export function backTo(path: string, params: Record<string, string>): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/[.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const qs = Object.entries(params)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

/** Approve and reject, as in the queue (the same form endpoint, keys `a` and `r`). */
function Actions({ r, actions }: { r: SearchResult; actions: ResultActions }) {
  const approvable = r.status !== 'visible' && r.status !== 'deleted';
  const dismissable = r.status === 'visible' && r.reports.open > 0;
  const rejectable = r.status !== 'rejected' && r.status !== 'deleted';
  if (!approvable && !dismissable && !rejectable) return null;
  return (
    <form class="item-actions primary-actions" method="post" action="/admin/actions">
      <FormBasics csrf={actions.csrf} back={actions.back} />
      {approvable || dismissable ? (
        <button type="submit" name="op" value={`approve:${r.id}`} class="approve" data-key="a">
          {m.approve}
        </button>
      ) : null}
      {rejectable ? (
        <>
          <label>
            {m.rejectReason} <input type="text" name="reason" value={m.rejectReasonDefault} maxLength={500} class="reason" />
          </label>
          <button type="submit" name="op" value={`reject:${r.id}`} class="reject" data-key="r">
            {m.reject}
          </button>
        </>
      ) : null}
    </form>
  );
}

/** One found comment: who, where, when, its state, the words, and where to go from it. */
export function ResultItem({ r, timeZone, showAuthor = true, actions }: { r: SearchResult; timeZone: string; showAuthor?: boolean; actions?: ResultActions }) {
  const head = `result-${r.id}-h`;
  const s = m.search;
  return (
    <li>
      <article id={`result-${r.id}`} class="item result" tabindex={-1} aria-labelledby={head} data-comment={r.id}>
        <header class="item-head">
          <h2 id={head}>
            {showAuthor ? (
              <>
                <a href={r.links.history} data-key="h" aria-label={s.authorHistory(r.author.name)}>
                  {r.author.name}
                </a>{' '}
                <span class="muted">{m.on}</span>{' '}
              </>
            ) : null}
            <a href={r.links.comment} data-key="o">
              {r.article.title}
            </a>
          </h2>
          <p class="item-meta">
            <Time at={r.createdAt} timeZone={timeZone} />
            <span class={`badge status-${r.status}`}>{s.statuses[r.status] ?? r.status}</span>
            {r.isReply ? <span>{s.reply}</span> : null}
            {r.editedAt ? <span>{s.edited}</span> : null}
            {r.reports.total > 0 ? <span>{s.reportCount(r.reports.open, r.reports.total)}</span> : null}
          </p>
        </header>
        <Snippet parts={r.snippet} />
        {r.links.moderation ? (
          <p class="result-links">
            <a href={r.links.moderation}>{s.moderate}</a>
          </p>
        ) : null}
        {actions ? <Actions r={r} actions={actions} /> : null}
      </article>
    </li>
  );
}

export function ResultList({
  results,
  timeZone,
  label,
  showAuthor = true,
  actions,
}: {
  results: SearchResult[];
  timeZone: string;
  label: string;
  showAuthor?: boolean;
  actions?: ResultActions;
}) {
  return (
    <ol class="search-results" aria-label={label}>
      {results.map((r) => (
        <ResultItem r={r} timeZone={timeZone} showAuthor={showAuthor} actions={actions} />
      ))}
    </ol>
  );
}

function Field(p: { name: keyof SearchForm; label: string; hint?: string; value: string; type?: string; id?: string }) {
  const id = p.id ?? `search-${p.name}`;
  return (
    <div class="search-field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value}
        maxLength={200}
        aria-describedby={p.hint ? `${id}-hint` : undefined}
        autocomplete="off"
      />
      {p.hint ? (
        <small id={`${id}-hint`} class="muted">
          {p.hint}
        </small>
      ) : null}
    </div>
  );
}

function Form({ f }: { f: SearchForm }) {
  const s = m.search;
  return (
    <form class="search-form" method="get" action="/admin/search" role="search" aria-label={s.formLabel}>
      <Field name="q" id="search-q" label={s.words} hint={s.wordsHint} value={f.q} type="search" />
      <Field name="author" label={s.author} hint={s.authorHint} value={f.author} />
      <Field name="article" label={s.article} hint={s.articleHint} value={f.article} />
      <div class="search-field">
        <label for="search-status">{s.status}</label>
        <select id="search-status" name="status">
          <option value="" selected={f.status === ''}>
            {s.anyStatus}
          </option>
          {SEARCH_STATUSES.map((st) => (
            <option value={st} selected={f.status === st}>
              {s.statuses[st]}
            </option>
          ))}
        </select>
      </div>
      <div class="search-field">
        <label for="search-reports">{s.reports}</label>
        <select id="search-reports" name="reports">
          {Object.entries(s.reportOptions).map(([v, label]) => (
            <option value={v} selected={f.reports === v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field name="from" label={s.from} hint={s.dateHint} value={f.from} type="date" />
      <Field name="to" label={s.to} value={f.to} type="date" />
      <div class="search-buttons">
        <button type="submit">{s.submit}</button>
        <a href="/admin/search">{s.clear}</a>
      </div>
    </form>
  );
}

export interface SearchPageProps {
  form: SearchForm;
  /** Null before the first search or when the filters were refused (`error`). */
  page: Page | null;
  error: string | null;
  isAdmin: boolean;
  timeZone: string;
  /** The next page's address, when there is one. */
  nextHref: string | null;
  actions: ResultActions;
  /** What the last action did (after a form post without script), if anything. */
  done: string | null;
}

/** Moderators' search over every comment: a plain GET form, so it works without script. */
export function SearchPage(p: SearchPageProps) {
  const s = m.search;
  return (
    <AdminShell
      section="search"
      isAdmin={p.isAdmin}
      heading={s.heading}
      status={p.error ? { ok: false, text: p.error } : p.done ? { ok: true, text: p.done } : null}
    >
      <Form f={p.form} />
      <Shortcuts keys={s.shortcuts} />
      {p.page ? (
        <section aria-labelledby="search-found">
          <h2 id="search-found" class="search-found">
            {p.page.total === 0 ? s.none : s.found(p.page.total)}
          </h2>
          {p.page.results.length > 0 ? <ResultList results={p.page.results} timeZone={p.timeZone} label={s.resultsLabel} actions={p.actions} /> : null}
          {p.nextHref ? (
            <p>
              <a href={p.nextHref}>{m.nextPage}</a>
            </p>
          ) : null}
        </section>
      ) : null}
    </AdminShell>
  );
}
