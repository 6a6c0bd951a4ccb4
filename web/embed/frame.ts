/**
 * Runs inside the embed frame: tells the host page how tall the discussion is, so the frame
 * grows and shrinks with it instead of scrolling inside the host's page.
 */
const report = () => parent.postMessage({ parley: 'height', height: document.documentElement.scrollHeight }, '*');
new ResizeObserver(report).observe(document.body);
addEventListener('load', report);
