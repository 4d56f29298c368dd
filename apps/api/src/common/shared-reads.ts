import { Injectable } from '@nestjs/common';

interface Pending<T> {
  promise: Promise<T>;
  start: () => void;
}

interface Slot {
  /** The read now running: it began before anyone waiting in `next` arrived. */
  running: Promise<unknown>;
  /** The read everyone who arrived while `running` ran will share; it begins when `running` ends. */
  next?: Pending<unknown>;
}

/**
 * Identical reads in flight share one database read (a county department's staff opening the same
 * dashboard at once, a province's at its roll-up). Each answer is still fresh: a request never joins a
 * read that began before it arrived — it waits for the next one, which begins as soon as the running one
 * ends and serves everyone who arrived meanwhile. So at most one read per key runs at a time, and nobody
 * sees data older than their request (an action's result shows on the dashboard opened after it).
 * Failures (404, a database error) go to everyone who shared the read; nothing is kept after it answers.
 */
@Injectable()
export class SharedReads {
  private readonly slots = new Map<string, Slot>();

  /** `key` must name everything the answer depends on: who asks (their role and region) and what they asked. */
  run<T>(key: string, read: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) return this.begin(key, read);
    slot.next ??= this.deferred(key, read);
    return slot.next.promise as Promise<T>;
  }

  private begin<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = Promise.resolve().then(read);
    const slot: Slot = { running };
    this.slots.set(key, slot);
    const settle = () => {
      const next = slot.next;
      if (next) {
        slot.next = undefined;
        next.start();
      } else if (this.slots.get(key) === slot) {
        this.slots.delete(key);
      }
    };
    running.then(settle, settle);
    return running;
  }

  private deferred<T>(key: string, read: () => Promise<T>): Pending<T> {
    let start!: () => void;
    const promise = new Promise<T>((resolve, reject) => {
      start = () => {
        this.slots.delete(key);
        this.begin(key, read).then(resolve, reject);
      };
    });
    return { promise, start };
  }
}

/**
 * The key of a read: what was read, for whom and with which query. `whom` is the person's role and region
 * for figures that depend on nothing else (people of one role and region see the same dashboard), and
 * the person themselves for anything of theirs (their tasks).
 */
export function sharedReadKey(what: string, whom: { role: string; regionId: string } | { id: string }, query: object): string {
  const who = 'id' in whom ? `user:${whom.id}` : `${whom.role}@${whom.regionId}`;
  return `${what}|${who}|${JSON.stringify(query)}`;
}
