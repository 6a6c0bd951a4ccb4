import { EventEmitter } from 'node:events';

/** "Something new happened under this article": readers then fetch the events log. */
export interface Wakeup {
  articleId: number;
  eventId: number;
}

export interface EventBus {
  publish(w: Wakeup): Promise<void>;
  subscribe(fn: (w: Wakeup) => void): () => void;
  /**
   * False while wake-ups may not reach every node (the broker is unreachable): LiveHub then polls
   * the events log. Absent: always true.
   */
  healthy?(): boolean;
  close(): Promise<void>;
}

/** One process: wake-ups stay in memory. */
export function inProcessBus(): EventBus {
  const em = new EventEmitter();
  em.setMaxListeners(0);
  return {
    async publish(w) {
      em.emit('wakeup', w);
    },
    subscribe(fn) {
      em.on('wakeup', fn);
      return () => em.off('wakeup', fn);
    },
    healthy: () => true,
    async close() {
      em.removeAllListeners();
    },
  };
}
