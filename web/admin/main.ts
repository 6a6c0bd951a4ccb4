/*
 * Progressive enhancement for the moderation dashboard. Without this script every button is a
 * plain form post; with it, actions run in place (no reload, focus stays in the queue) and the
 * queue is driven from the keyboard. Loaded as an external module: the CSP forbids inline script.
 */
import { moderation as m } from '../../src/messages/current/moderation.js';

const status = document.getElementById('admin-status');
const queue = document.querySelector<HTMLOListElement>('ol.queue');
let current: HTMLElement | null = null;

// The queue's comments, or a search's results (src/render/admin/SearchPage.tsx): the same keys walk both.
const items = () => [...document.querySelectorAll<HTMLElement>('ol.queue article.item, ol.search-results article.item')];

function announce(text: string, ok = true): void {
  if (!status) return;
  status.classList.toggle('error', !ok);
  // Clearing first makes screen readers repeat a message that happens to be the same as the last.
  status.textContent = '';
  requestAnimationFrame(() => (status.textContent = text));
}

function setCurrent(el: HTMLElement | null, focus = true): void {
  for (const i of items()) i.classList.toggle('current', i === el);
  current = el;
  if (el && focus) {
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  }
}

function move(step: 1 | -1): void {
  const list = items();
  if (list.length === 0) return;
  // The first press goes to the comment keys already act on, rather than past it.
  if (current && !current.contains(document.activeElement)) return setCurrent(current);
  const at = current ? list.indexOf(current) : -1;
  const next = at === -1 ? (step === 1 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
  setCurrent(list[next]!);
}

/** Keeps the tab's count in step with what left the queue. */
function recount(removed: number): void {
  const tab = queue?.dataset.tab;
  const link = tab ? document.querySelector<HTMLAnchorElement>(`.queue-tabs a[href="/admin?tab=${tab}"]`) : null;
  const match = link?.textContent?.match(/\(([\d,]+)\)\s*$/);
  if (!link || !match || !tab) return;
  const n = Math.max(0, Number(match[1]!.replace(/,/g, '')) - removed);
  link.textContent = m.tabCount(m.tabs[tab as keyof typeof m.tabs], n);
}

function removeItems(ids: number[]): void {
  if (ids.length === 0) return;
  const list = items();
  const gone = new Set(ids.map((id) => document.getElementById(`item-${id}`)).filter((x): x is HTMLElement => x !== null));
  // Focus goes to the next comment still in the queue, else the one before.
  const at = current ? list.indexOf(current) : 0;
  const after =
    list.slice(at).find((i) => !gone.has(i)) ??
    list
      .slice(0, at)
      .reverse()
      .find((i) => !gone.has(i)) ??
    null;
  for (const el of gone) el.closest('li')?.remove();
  recount(gone.size);
  if (items().length === 0 && queue) {
    const tab = (queue.dataset.tab ?? 'pending') as keyof typeof m.empty;
    const empty = document.createElement('p');
    empty.className = 'queue-empty';
    empty.textContent = m.empty[tab];
    document.getElementById('bulk')?.remove();
    queue.replaceWith(empty);
    current = null;
    return;
  }
  setCurrent(after);
}

/**
 * A search result stays where it is after an action (it still matches the search); its status
 * badge says what it became.
 */
function showStatus(button: HTMLButtonElement, changed: number[]): void {
  const [verb, id] = button.value.split(':');
  if (!changed.includes(Number(id))) return;
  const status = verb === 'approve' ? 'visible' : verb === 'reject' ? 'rejected' : null;
  const badge = document.querySelector<HTMLElement>(`#result-${id} .badge[class*="status-"]`);
  if (!status || !badge) return;
  badge.className = `badge status-${status}`;
  badge.textContent = m.search.statuses[status] ?? status;
}

async function run(form: HTMLFormElement, button: HTMLButtonElement): Promise<void> {
  const data = new FormData(form, button);
  const body = new URLSearchParams();
  for (const [k, v] of data) if (typeof v === 'string') body.append(k, v);
  for (const b of form.querySelectorAll('button')) b.disabled = true;
  try {
    const res = await fetch(form.action, { method: 'POST', headers: { accept: 'application/json' }, body, credentials: 'same-origin' });
    const out = (await res.json().catch(() => ({}))) as { message?: string | null; removed?: number[]; bodyHtml?: string | null; error?: { message: string } };
    if (!res.ok) return announce(m.failed(out.error?.message ?? String(res.status)), false);
    if (out.message) announce(out.message);
    const item = form.closest<HTMLElement>('article.item');
    if (item && typeof out.bodyHtml === 'string') {
      // The server's sanitized rendering of the new text, as on every page.
      item.querySelector('.item-body')!.innerHTML = out.bodyHtml;
      form.closest('details')?.removeAttribute('open');
      setCurrent(item);
    }
    const alt = button.dataset.altOp;
    if (alt) {
      const label = button.dataset.altLabel!;
      button.dataset.altOp = button.value;
      button.dataset.altLabel = button.textContent ?? '';
      button.value = alt;
      button.textContent = label;
    }
    if (queue) removeItems(out.removed ?? []);
    else showStatus(button, out.removed ?? []);
  } catch {
    announce(m.failed(navigator.onLine ? 'network error' : 'offline'), false);
  } finally {
    for (const b of form.querySelectorAll('button')) b.disabled = false;
  }
}

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  const button = (e as SubmitEvent).submitter;
  if (!form.matches('form[action="/admin/actions"]') || !(button instanceof HTMLButtonElement)) return;
  e.preventDefault();
  void run(form, button);
});

document.addEventListener('focusin', (e) => {
  const item = (e.target as HTMLElement).closest?.<HTMLElement>('article.item');
  if (item && item !== current) setCurrent(item, false);
});

const selected = () => [...document.querySelectorAll<HTMLInputElement>('input.item-select:checked')];

function press(selector: string, scope: ParentNode | null): void {
  const b = scope?.querySelector<HTMLButtonElement>(selector);
  if (b?.form) b.form.requestSubmit(b);
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement;
  if (t.closest('input, textarea, select, [contenteditable]')) {
    // Escape leaves a field and returns to the comment it belongs to.
    if (e.key === 'Escape' && current) {
      e.preventDefault();
      setCurrent(current);
    }
    return;
  }
  const bulk = document.getElementById('bulk');
  switch (e.key) {
    case 'j':
      return move(1);
    case 'k':
      return move(-1);
    case 'x': {
      const box = current?.querySelector<HTMLInputElement>('input.item-select');
      if (box) box.checked = !box.checked;
      return;
    }
    case 'a':
      return selected().length ? press('button[value="bulk:approve"]', bulk) : press('button[data-key="a"]', current);
    case 'r':
      return selected().length ? press('button[value="bulk:reject"]', bulk) : press('button[data-key="r"]', current);
    case 'p':
    case 'l':
      return press(`button[data-key="${e.key}"]`, current);
    case 'h':
    case 'o':
      // The author's history, or the comment in its discussion.
      current?.querySelector<HTMLAnchorElement>(`a[data-key="${e.key}"]`)?.click();
      return;
    case '/': {
      const box = document.getElementById('search-q');
      if (!box) return;
      e.preventDefault();
      box.focus();
      return;
    }
    case 'e': {
      const details = current?.querySelector<HTMLDetailsElement>('details.item-edit');
      if (!details) return;
      e.preventDefault();
      details.open = true;
      details.querySelector('textarea')?.focus();
      return;
    }
    case '1':
    case '2':
    case '3':
      document.querySelector<HTMLAnchorElement>(`.queue-tabs a[data-key="${e.key}"]`)?.click();
      return;
    case '?': {
      const help = document.querySelector<HTMLDetailsElement>('details.shortcuts');
      if (help) help.open = !help.open;
      return;
    }
  }
});

// Keys act on the first comment until the moderator picks another; focus stays where it is.
const first = items()[0];
if (first) setCurrent(first, false);
document.documentElement.classList.add('admin-enhanced');
