import { Injectable } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { AuthException } from './auth.exception';

/** Seconds a sign-in turned away by a full gate is told to wait: the queue drains in about this long. */
export const SIGN_IN_BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * At most a few password checks (lookup and bcrypt) at a time in this process, and a short queue
 * behind them; a sign-in beyond that answers 429 SIGN_IN_BUSY at once instead of waiting in a queue
 * that a flood of made-up usernames could make endless.
 *
 * bcrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which file
 * reads, DNS look-ups and compression share; sign-ins hold at most half of it, and at most all CPU
 * cores but one, so the event loop keeps a core and the rest of the API its threads during a flood.
 */
@Injectable()
export class PasswordCheckGate {
  readonly maxRunning: number;
  readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor() {
    const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    this.maxRunning = Math.max(1, Math.min(Math.floor(pool / 2), availableParallelism() - 1));
    // A waiting sign-in starts within about maxWaiting / maxRunning hashes (a few seconds at cost 12).
    this.maxWaiting = 8 * this.maxRunning;
  }

  /** Runs the check when a place is free; throws AuthException SIGN_IN_BUSY when the queue is full. */
  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running < this.maxRunning) this.running += 1;
    else if (this.waiting.length < this.maxWaiting) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw AuthException.signInBusy(SIGN_IN_BUSY_RETRY_AFTER_SECONDS);
    try {
      return await check();
    } finally {
      // The place passes straight to the next in line, else it is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
