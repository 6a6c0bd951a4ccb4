// Bundles the discussion widget for the browser and copies its stylesheet next to it.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const out = 'dist/public';
await mkdir(out, { recursive: true });
await build({
  entryPoints: ['web/widget/main.tsx'],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: `${out}/widget.js`,
  logLevel: 'warning',
});
await copyFile('web/widget/widget.css', `${out}/widget.css`);
// embed.js runs as a classic script on publishers' pages (it needs document.currentScript).
await build({ entryPoints: ['web/embed/loader.ts'], bundle: true, format: 'iife', minify: true, target: 'es2018', outfile: `${out}/embed.js`, logLevel: 'warning' });
await build({ entryPoints: ['web/embed/frame.ts'], bundle: true, format: 'esm', minify: true, target: 'es2020', outfile: `${out}/embed-frame.js`, logLevel: 'warning' });
