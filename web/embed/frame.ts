/**
 * Runs inside the embed frame: tells the host page how tall the discussion is, so the frame
 * grows and shrinks with it instead of scrolling inside the host's page.
 */
const report = () => parent.postMessage({ parley: 'height', height: document.documentElement.scrollHeight }, '*');
new ResizeObserver(report).observe(document.body);
addEventListener('load', report);
// Signing in and subscribing (/signin, /subscribe) take the whole window: Stripe and the
// publisher's sign-in page refuse to be framed, and the reader comes back to the host page.
addEventListener(
  'click',
  (e) => {
    const a = (e.target as Element).closest?.<HTMLAnchorElement>('a[href^="/s"]');
    if (a) a.target = '_top';
  },
  true,
);
