const ignore = () => {};

interface InFlight<V> {
  /** Settles (never rejects) when the read in flight ends. */
  ending: Promise<void>;
  /** The read that starts when this one ends, shared by everyone who asked meanwhile. */
  next: Promise<V> | null;
}

/**
 * Reads by key that callers asking at the same time share, none of them begun before its caller
 * asked: one who finds a read in flight waits for the next, which starts as soon as that one ends
 * and answers everyone who asked meanwhile. So a caller sees every change committed before it
 * asked (unlike a cache), and a key asked for continuously costs one read at a time instead of
 * one per caller. Nothing is kept once no read of the key is in flight.
 */
export class SharedReads<K, V> {
  private readonly inFlight = new Map<K, InFlight<V>>();

  constructor(private readonly read: (key: K) => Promise<V>) {}

  get(key: K): Promise<V> {
    const running = this.inFlight.get(key);
    if (!running) {
      const entry: InFlight<V> = { ending: Promise.resolve(), next: null };
      this.inFlight.set(key, entry);
      return this.start(key, entry);
    }
    running.next ??= running.ending.then(() => {
      running.next = null;
      return this.start(key, running);
    });
    return running.next;
  }

  private start(key: K, entry: InFlight<V>): Promise<V> {
    const value = this.read(key);
    // Those waiting for the next read chain onto `ending`, so this runs before that read starts,
    // and the entry stays while one is wanted.
    entry.ending = value.then(ignore, ignore).then(() => {
      if (entry.next === null && this.inFlight.get(key) === entry) this.inFlight.delete(key);
    });
    return value;
  }
}
