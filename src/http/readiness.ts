/**
 * What a load balancer asks before sending this node traffic (`/readyz`), as opposed to
 * `/healthz`, which only says the process is alive and must not fail because a dependency did
 * (an orchestrator would restart every node during a database blip).
 */
export type Phase = 'starting' | 'ready' | 'draining';
export type ReadyStatus = Phase | 'degraded';

/** A dependency's state: 'ok', or a short word for what is wrong. */
export type Check = () => Promise<string> | string;

const CHECK_TIMEOUT_MS = 1500;

export interface ReadinessReport {
  status: ReadyStatus;
  /** Whether a load balancer should send this node traffic (HTTP 200). */
  serving: boolean;
  checks: Record<string, string>;
}

export class Readiness {
  private current: Phase = 'starting';
  private readonly checks = new Map<string, { check: Check; critical: boolean }>();

  get phase(): Phase {
    return this.current;
  }

  set phase(p: Phase) {
    this.current = p;
  }

  /**
   * A critical dependency down (the database) takes the node out of rotation: 503. Others (the
   * live bus, which has a polling fallback) only mark it degraded, still 200: failing them would
   * pull every node at once, a full outage made by the health check itself.
   */
  addCheck(name: string, check: Check, opts: { critical: boolean }): void {
    this.checks.set(name, { check, critical: opts.critical });
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check }]): Promise<[string, string]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS)));
        try {
          return [name, await Promise.race([Promise.resolve().then(check), timeout])];
        } catch {
          return [name, 'unavailable'];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries.filter(([, v]) => v !== 'ok').map(([name]) => name);
    const status = this.current !== 'ready' ? this.current : failing.length === 0 ? 'ready' : 'degraded';
    const serving = this.current === 'ready' && failing.every((name) => !this.checks.get(name)!.critical);
    return { status, serving, checks };
  }
}
