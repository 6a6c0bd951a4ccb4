import { messages } from '../../messages.js';
import { currentLocale } from '../../messages/scope.js';

/** What an import tells whoever watches it. */
export interface Progress {
  /** `done` of `total` bytes read; `items` imported so far. */
  update(done: number, items: number): void;
  finish(): void;
}

export const silentProgress: Progress = { update() {}, finish() {} };

interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString(currentLocale());

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

/**
 * A bar redrawn in place on a terminal; elsewhere (a log, CI) a plain line every tenth of the
 * file or every 15 seconds, whichever comes first, so logs stay short and still show life.
 */
export function progressBar(total: number, opts: { out?: Out; unit?: string; now?: () => number } = {}): Progress {
  const out = opts.out ?? process.stderr;
  const now = opts.now ?? (() => Date.now());
  const unit = opts.unit ?? messages.importer.units.comments;
  const started = now();
  let lastDraw = 0;
  let lastTenth = -1;
  let lastLine = started;
  let drawn = false;
  let last: { done: number; items: number } | null = null;
  let printed: { done: number; items: number } | null = null;
  const line = (done: number, items: number) => {
    const secs = (now() - started) / 1000;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const rate = secs > 0 ? items / secs : 0;
    const eta = frac > 0 ? (secs / frac) * (1 - frac) : NaN;
    return { frac, text: messages.importer.progress(Math.floor(frac * 100), fmt(items), unit, fmt(rate), duration(eta)) };
  };
  return {
    update(done, items) {
      const t = now();
      if (out.isTTY) {
        if (t - lastDraw < 100 && done < total) return;
        lastDraw = t;
        const { frac, text } = line(done, items);
        const width = 24;
        const filled = Math.round(frac * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        out.write(`${`\r${bar} ${text}`.slice(0, Math.max(20, (out.columns ?? 100) - 1))}\x1b[K`);
        drawn = true;
        return;
      }
      const { frac, text } = line(done, items);
      const tenth = Math.floor(frac * 10);
      last = { done, items };
      if (tenth > lastTenth || t - lastLine >= 15_000) {
        lastTenth = tenth;
        lastLine = t;
        printed = last;
        out.write(`${text}\n`);
      }
    },
    finish() {
      if (drawn) out.write('\n');
      // The closing state, unless the last line already showed it.
      else if (last && (printed?.done !== last.done || printed.items !== last.items)) out.write(`${line(last.done, last.items).text}\n`);
    },
  };
}
