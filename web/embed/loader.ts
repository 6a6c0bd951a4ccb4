/**
 * embed.js: the only script a publisher adds to their page. It stays tiny: it finds
 * `<div data-parley-article>` elements and, once one nears the viewport, puts the discussion in an
 * iframe from the Parley origin. The frame isolates Parley's styles from the host's (both ways)
 * and keeps sessions and CSRF tokens out of the host page's reach.
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = new URL(script?.src ?? '/', location.href).origin;
  // data-parley-accent and the rest (data-parley-lang: the host page's language), by their dataset names; the query takes them lower-cased.
  const THEME_KEYS = ['Accent', 'Bg', 'Fg', 'Muted', 'Border', 'Font', 'Scheme', 'Lang'];

  /**
   * With the publisher's single sign-on, the frame opens with a fresh token for the reader signed
   * in on the host page: fetched from `data-parley-sso-url` (the host's own endpoint, with the
   * host's cookies) or given in `data-parley-sso`. An empty token means nobody is signed in there.
   */
  function mount(el: HTMLElement) {
    if (el.dataset.parleyMounted) return;
    el.dataset.parleyMounted = '1';
    const url = el.dataset.parleySsoUrl;
    (url
      ? fetch(url, { credentials: 'include' }).then(
          (r) => (r.ok ? r.text() : ''),
          () => '',
        )
      : Promise.resolve(el.dataset.parleySso)
    ).then((t) => open(el, t?.trim()));
  }

  function open(el: HTMLElement, sso: string | undefined) {
    const q = new URLSearchParams({
      article: el.dataset.parleyArticle ?? '',
      url: el.dataset.parleyUrl || location.href.split('#')[0]!,
      title: el.dataset.parleyTitle || document.title,
    });
    for (const k of THEME_KEYS) {
      const v = el.dataset[`parley${k}`];
      if (v) q.set(k.toLowerCase(), v);
    }
    const m = /^#comment-(\d+)$/.exec(location.hash);
    if (m) q.set('comment', m[1]!);
    if (sso !== undefined) q.set('sso', sso);
    const frame = document.createElement('iframe');
    frame.src = `${origin}/embed/frame?${q}`;
    frame.title = el.dataset.parleyLabel || 'Comments';
    frame.style.cssText = 'width:100%;border:0;display:block;min-height:240px;color-scheme:normal';
    el.appendChild(frame);
    addEventListener('message', (e) => {
      if (e.origin !== origin || e.source !== frame.contentWindow) return;
      const d = e.data as { parley?: string; height?: number };
      if (d.parley === 'height' && typeof d.height === 'number') frame.style.height = `${Math.ceil(d.height)}px`;
    });
  }

  function start() {
    const els = document.querySelectorAll<HTMLElement>('[data-parley-article]');
    // Load only when the discussion is about to scroll into view: most readers never get there.
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          io.unobserve(e.target);
          mount(e.target as HTMLElement);
        }
      },
      { rootMargin: '600px 0px' },
    );
    els.forEach((el) => (location.hash.startsWith('#comment-') ? mount(el) : io.observe(el)));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
