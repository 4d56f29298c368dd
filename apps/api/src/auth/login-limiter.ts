import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';

interface Attempts {
  /** Failed sign-ins (and attempts still being checked) in the current window. */
  failures: number;
  /** When the window (or, once locked, the lock-out) ends, epoch ms. */
  endsAt: number;
}

/** Keys kept at most; beyond it the oldest are dropped (a flood of made-up usernames cannot exhaust memory). */
const MAX_KEYS = 100_000;

/**
 * The sign-in limit: failed sign-ins are counted per client address and username (case-insensitive,
 * as sign-in matches usernames). After `loginMaxFailures` failures within `loginLockoutWindowMs`,
 * every further attempt of that pair — right password or not — answers 429 until the lock-out, a
 * full window from the last counted failure, has passed. A successful sign-in clears the count;
 * other usernames and other addresses are not affected.
 *
 * An attempt is counted when it begins, before the password is checked, so parallel guesses cannot
 * slip past the limit while bcrypt runs; a success (or an error that says nothing about the
 * password) takes it back.
 *
 * The counts live in this process: with several API instances behind a load balancer, each counts
 * on its own, so an address may get up to (instances × limit) failures a window.
 */
@Injectable()
export class LoginLimiter {
  private readonly attempts = new Map<string, Attempts>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  /** The clock; tests replace it to let a window pass without waiting. */
  now: () => number = () => Date.now();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxFailures = config.auth.loginMaxFailures;
    this.windowMs = config.auth.loginLockoutWindowMs;
  }

  /**
   * Starts an attempt: 0 if it may go ahead (and it now counts as a failure until `succeeded` or
   * `abandoned`), else the seconds until the pair may try again.
   */
  begin(clientIp: string, username: string): number {
    const key = this.key(clientIp, username);
    const now = this.now();
    let entry = this.attempts.get(key);
    if (entry && entry.endsAt <= now) {
      this.attempts.delete(key);
      entry = undefined;
    }
    if (entry && entry.failures >= this.maxFailures) return Math.max(1, Math.ceil((entry.endsAt - now) / 1000));
    if (!entry) {
      entry = { failures: 0, endsAt: now + this.windowMs };
      this.remember(key, entry);
    }
    entry.failures += 1;
    // The failure that reaches the limit starts a lock-out of a full window.
    if (entry.failures >= this.maxFailures) entry.endsAt = now + this.windowMs;
    return 0;
  }

  /** The attempt signed in: the pair's failures are forgotten. */
  succeeded(clientIp: string, username: string): void {
    this.attempts.delete(this.key(clientIp, username));
  }

  /** The attempt ended without a verdict on the password (e.g. the database was down): it does not count. */
  abandoned(clientIp: string, username: string): void {
    const entry = this.attempts.get(this.key(clientIp, username));
    if (entry && entry.failures > 0) entry.failures -= 1;
  }

  private key(clientIp: string, username: string): string {
    return `${clientIp}\u0000${username.toLowerCase()}`;
  }

  private remember(key: string, entry: Attempts): void {
    if (this.attempts.size >= MAX_KEYS) {
      const now = this.now();
      for (const [k, e] of this.attempts) if (e.endsAt <= now) this.attempts.delete(k);
      for (const k of this.attempts.keys()) {
        if (this.attempts.size < MAX_KEYS) break;
        this.attempts.delete(k);
      }
    }
    this.attempts.set(key, entry);
  }
}
