import { readFileSync } from 'node:fs';

/**
 * The XSS corpus, one payload per line. Newlines and invisible or control characters are
 * written as `\n` and `\u{hex}` so the file stays readable plain text.
 */
export function loadPayloads(): string[] {
  const raw = readFileSync(new URL('../fixtures/xss-payloads.txt', import.meta.url), 'utf8');
  return raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/\\u\{([0-9a-f]+)\}/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/\\n/g, '\n'));
}

/**
 * Runs in the page before any of its scripts: records every way a payload could show that it ran
 * (dialogs, printing, a global it sets, a script blocked by our CSP), for the test to read back.
 */
export const TRAP = `(() => {
  const hits = (window.__xssHits = []);
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { hits.push(name + ':' + args.join(',')); };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    if (e.effectiveDirective.startsWith('script-src')) hits.push('csp:' + e.effectiveDirective + ':' + e.blockedURI + ':' + (e.sample || ''));
  });
})();`;
