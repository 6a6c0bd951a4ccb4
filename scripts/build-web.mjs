// Bundles the discussion widget for the browser and copies its stylesheet next to it.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const out = 'dist/public';
await mkdir(out, { recursive: true });

// The shipped languages, read from the one list (src/messages/locales.ts) rather than repeated here.
const LOCALES = JSON.parse(/LOCALES = (\[[^\]]*\])/.exec(await readFile('src/messages/locales.ts', 'utf8'))[1].replaceAll("'", '"'));
const suffix = (lang) => (lang === 'en' ? '' : `.${lang}`);
const CATALOG_KEYS =
  /^(commentsCount|composerLabel|counterOver|joinBenefits|joinHeading|joinMembers|joinText|justNow|markdownHint|mutedRow|networkError|noComments|postReply|replyLabel|showComment|signedInAs|sortLabel|viewAll)$/;

/*
 * On the server src/messages/current/*.ts answer in the language of the page being rendered; in
 * a browser bundle they are replaced by one language's own catalog, so each bundle carries only
 * its own strings: widget.js English (src/messages/<part>.ts), widget.<lang>.js the translation
 * (src/messages/locales/<lang>/<part>.ts).
 */
const oneLanguage = (lang) => ({
  name: `messages-${lang}`,
  setup(b) {
    b.onResolve({ filter: /\/messages\/current\/[a-z-]+\.js$/ }, (args) => {
      const part = /([a-z-]+)\.js$/.exec(args.path)[1];
      const file = resolve(lang === 'en' ? `src/messages/${part}.ts` : `src/messages/locales/${lang}/${part}.ts`);
      if (!existsSync(file)) throw new Error(`${file} is missing: every language needs its ${part} catalog`);
      return { path: file };
    });
  },
});

/*
 * Parts of the discussion the browser never changes, only hydrates: each bundle takes the
 * server's markup as it is (web/widget/<Part>.browser.tsx) instead of the code that writes it.
 */
const keptMarkup = {
  name: 'kept-markup',
  setup(b) {
    b.onResolve({ filter: /\/JoinBlock\.js$/ }, () => ({ path: resolve('web/widget/JoinBlock.browser.tsx') }));
  },
};

for (const lang of LOCALES) await widgetBundle(lang);

async function widgetBundle(lang) {
  await build({
    entryPoints: { [`widget${suffix(lang)}`]: 'web/widget/main.tsx' },
    plugins: [oneLanguage(lang), keptMarkup],
    bundle: true,
    // Features loaded on use (import()) become their own chunks, outside the first download.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    minify: true,
    // Maps are written for debugging but not linked from the bundle: readers never download the link.
    sourcemap: 'external',
    legalComments: 'none',
    // Strings as UTF-8 rather than \u escapes: an Arabic letter is 2 bytes instead of 6 (served with charset=utf-8).
    charset: 'utf8',
    // The widget catalog's longest keys get short names in the bundle (-100 B gzipped: room for the
    // translations). Only keys that are nothing but catalog keys: never a JSON field, a DOM
    // attribute or read by a string, which renaming would break.
    mangleProps: CATALOG_KEYS,
    // Evergreen browsers since 2022; older syntax costs bytes every reader downloads.
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: out,
    logLevel: 'warning',
  });
}
// The stylesheet is kept readable in the source and minified for readers.
await build({ entryPoints: ['web/widget/widget.css'], bundle: true, minify: true, outfile: `${out}/widget.css`, logLevel: 'warning' });
// embed.js runs as a classic script on publishers' pages (it needs document.currentScript).
await build({
  entryPoints: ['web/embed/loader.ts'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  outfile: `${out}/embed.js`,
  logLevel: 'warning',
});
await build({
  entryPoints: ['web/embed/frame.ts'],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  outfile: `${out}/embed-frame.js`,
  logLevel: 'warning',
});
// The moderation dashboard's keyboard control and in-place actions (issue 6).
for (const lang of LOCALES) {
  await build({
    entryPoints: ['web/admin/main.ts'],
    plugins: [oneLanguage(lang)],
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: true,
    target: 'es2020',
    outfile: `${out}/admin${suffix(lang)}.js`,
    logLevel: 'warning',
  });
}
// count.js fills comment counts on publishers' listing pages; a classic script like embed.js (issue 13).
await build({
  entryPoints: ['web/count/count.ts'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  outfile: `${out}/count.js`,
  logLevel: 'warning',
});
