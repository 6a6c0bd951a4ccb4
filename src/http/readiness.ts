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
  checks: Record<string, string>;
}

export class Readiness {
  private current: Phase = 'starting';
  private readonly checks = new Map<string, Check>();

  get phase(): Phase {
    return this.current;
  }

  set phase(p: Phase) {
    this.current = p;
  }

  addCheck(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, string]> => {
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
    const allOk = entries.every(([, v]) => v === 'ok');
    return { status: this.current !== 'ready' ? this.current : allOk ? 'ready' : 'degraded', checks };
  }
}
