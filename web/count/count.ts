/**
 * count.js: comment counts on a publisher's listing pages. Every element with
 * `data-parley-count="<article URL or slug>"` gets its article's number of published comments,
 * all fetched in one request (split only past 50 articles) from the origin this script came from.
 * Optional wording: `data-parley-one="{n} comment"` and `data-parley-other="{n} comments"`.
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const api = `${new URL(script?.src ?? '/', location.href).origin}/api/v1/counts?`;
  const MAX_KEYS = 50;
  // Keeps each request's address well under what servers and proxies accept.
  const MAX_QUERY = 6000;

  const keyOf = (el: HTMLElement) => (el.dataset.parleyCount ?? '').trim();

  function show(el: HTMLElement, n: number) {
    // The page's language picks the form: in French 0 is singular too ("0 commentaire").
    const lang = document.documentElement.lang || undefined;
    const template = (new Intl.PluralRules(lang).select(n) === 'one' ? el.dataset.parleyOne : el.dataset.parleyOther) ?? el.dataset.parleyOther;
    const num = n.toLocaleString(lang);
    el.textContent = template ? template.replace('{n}', num) : num;
    el.dataset.parleyCounted = String(n);
  }

  function run() {
    const els = Array.from(document.querySelectorAll<HTMLElement>('[data-parley-count]'));
    const keys = Array.from(new Set(els.map(keyOf))).filter((k) => k && k.length <= 2000);
    let q = new URLSearchParams();
    let size = 0;
    const send = () => {
      if (!size) return;
      fetch(api + q, { credentials: 'omit' })
        .then((r) => (r.ok ? r.json() : null))
        .then((d: { counts?: Record<string, number> } | null) => {
          for (const el of els) {
            const n = d?.counts?.[keyOf(el)];
            if (typeof n === 'number') show(el, n);
          }
        })
        .catch(() => {});
      q = new URLSearchParams();
      size = 0;
    };
    for (const k of keys) {
      if (size === MAX_KEYS || q.toString().length + k.length * 3 > MAX_QUERY) send();
      q.append(/^https?:\/\//i.test(k) ? 'urls' : 'slugs', k);
      size++;
    }
    send();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
