import { expect } from 'vitest';
import type { LoadClient, LoadReport } from './load-client.js';
import { killHard, startServerProcess, type ServerProcess } from './process.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Owns what a fault test starts, so every path (a failed expectation, a timeout) stops it:
 * call `cleanup` from afterEach.
 */
export class FaultRun {
  private readonly nodes: ServerProcess[] = [];
  private readonly extra: (() => Promise<void>)[] = [];
  load: LoadClient | null = null;

  async node(env: Record<string, string>, opts?: Parameters<typeof startServerProcess>[1]): Promise<ServerProcess> {
    const n = await startServerProcess(env, opts);
    this.nodes.push(n);
    return n;
  }

  /** A node the test stopped on purpose (kill -9, SIGTERM): no longer expected to be alive. */
  retire(node: ServerProcess): void {
    const i = this.nodes.indexOf(node);
    if (i >= 0) this.nodes.splice(i, 1);
    this.extra.push(() => killHard(node.child));
  }

  onCleanup(fn: () => Promise<void>): void {
    this.extra.push(fn);
  }

  alive(): boolean[] {
    return this.nodes.map((n) => n.child.exitCode === null && n.child.signalCode === null);
  }

  output(): string {
    return this.nodes.map((n, i) => `--- node ${i} ---\n${n.output().slice(-4000)}`).join('\n');
  }

  async cleanup(): Promise<void> {
    this.load?.close();
    await Promise.allSettled(this.nodes.map((n) => killHard(n.child)));
    this.nodes.length = 0;
    for (const fn of this.extra.reverse()) await fn().catch(() => {});
    this.extra.length = 0;
  }
}

/** Polls `url` until it answers 200; the time that took, in ms. */
export async function timeUntilOk(url: string, limitMs = 30_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return Date.now() - t0;
    } catch {}
    await sleep(50);
  }
  return Infinity;
}

/** The assertions every fault test makes about a load run; prints the figures for the closing note. */
export function expectNothingLost(name: string, report: LoadReport, run: FaultRun, extra: Record<string, unknown> = {}): void {
  const line = {
    fault: name,
    acknowledged: report.acknowledged,
    comments: report.comments,
    votes: report.votes,
    lost: report.lost,
    duplicated: report.duplicated,
    retried: report.retried,
    gaveUp: report.gaveUp,
    missedLive: report.missedLive,
    resets: report.liveResets,
    statuses: report.statuses,
    ...extra,
  };
  console.log(`FAULT-FIGURES ${JSON.stringify(line)}`);
  expect(run.alive(), `a node died:\n${run.output()}`).not.toContain(false);
  expect(report.failures, run.output()).toEqual([]);
  expect(report.acknowledged).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  expect(report.duplicated).toBe(0);
  expect(report.counterErrors).toEqual([]);
  expect(report.missedLive).toBe(0);
}
