import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found the same way whether running from `src/` (tsx) or `dist/src/`. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error(`package.json not found above ${dir}`);
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const PUBLIC_DIR = join(ROOT, 'public');
/** Built browser assets (the widget bundle and its CSS). */
export const BUILT_PUBLIC_DIR = join(ROOT, 'dist', 'public');
