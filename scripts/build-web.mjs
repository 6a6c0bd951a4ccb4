// Bundles the discussion widget for the browser and copies its stylesheet next to it.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';

const out = 'dist/public';
await mkdir(out, { recursive: true });
await build({
  entryPoints: { widget: 'web/widget/main.tsx' },
  bundle: true,
  // Features loaded on use (import()) become their own chunks, outside the first download.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  minify: true,
  // Maps are written for debugging but not linked from the bundle: readers never download the link.
  sourcemap: 'external',
  legalComments: 'none',
  // Evergreen browsers since 2022; older syntax costs bytes every reader downloads.
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  logLevel: 'warning',
});
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
await build({
  entryPoints: ['web/admin/main.ts'],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: 'es2020',
  outfile: `${out}/admin.js`,
  logLevel: 'warning',
});
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
