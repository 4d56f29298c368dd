import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config';
import { normalizeUsername } from '../../../../libs/domain';
import { APP_CONFIG } from '../config/config.module';

interface Attempts {
  /** Failed sign-ins (and attempts still being checked) in the current window. */
  failures: number;
  /** When the window (or, once locked, the lock-out) ends, epoch ms. */
  endsAt: number;
}

/** Keys kept at most by each count; beyond it the oldest are dropped (a flood of made-up usernames cannot exhaust memory). */
const MAX_KEYS = 100_000;

/**
 * Failures per key within a window: after `max` of them the key is locked out for a full window from
 * the failure that reached the limit.
 */
class FailureCount {
  private readonly attempts = new Map<string, Attempts>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again, or 0 when it is not locked out. */
  lockedFor(key: string, now: number): number {
    const entry = this.current(key, now);
    return entry && entry.failures >= this.max ? Math.max(1, Math.ceil((entry.endsAt - now) / 1000)) : 0;
  }

  add(key: string, now: number): void {
    let entry = this.current(key, now);
    if (!entry) {
      entry = { failures: 0, endsAt: now + this.windowMs };
      this.remember(key, entry, now);
    }
    entry.failures += 1;
    // The failure that reaches the limit starts a lock-out of a full window.
    if (entry.failures >= this.max) entry.endsAt = now + this.windowMs;
  }

  takeBack(key: string): void {
    const entry = this.attempts.get(key);
    if (entry && entry.failures > 0) entry.failures -= 1;
  }

  forget(key: string): void {
    this.attempts.delete(key);
  }

  private current(key: string, now: number): Attempts | undefined {
    const entry = this.attempts.get(key);
    if (entry && entry.endsAt <= now) {
      this.attempts.delete(key);
      return undefined;
    }
    return entry;
  }

  private remember(key: string, entry: Attempts, now: number): void {
    if (this.attempts.size >= MAX_KEYS) {
      for (const [k, e] of this.attempts) if (e.endsAt <= now) this.attempts.delete(k);
      for (const k of this.attempts.keys()) {
        if (this.attempts.size < MAX_KEYS) break;
        this.attempts.delete(k);
      }
    }
    this.attempts.set(key, entry);
  }
}

/**
 * The sign-in limit, two counts of failed sign-ins within `loginLockoutWindowMs`:
 * - per client address and username (in its one form, `normalizeUsername`, as sign-in finds the
 *   account): after `loginMaxFailures` that pair answers 429 — right password or not;
 * - per client address over all usernames (`req.ip`: the peer, or the client a proxy named in TRUST_PROXY reports): after `loginMaxFailuresPerAddress` every
 *   sign-in from the address answers 429, so varying the username buys no more guesses.
 * Either lock-out lasts a full window from the failure that reached its limit. A successful sign-in
 * clears its pair's count and takes back its own attempt from the address's (it does not wipe the
 * address's other failures: one known account must not reset the count for guesses at others).
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
  private readonly byPair: FailureCount;
  private readonly byAddress: FailureCount;
  /** The clock; tests replace it to let a window pass without waiting. */
  now: () => number = () => Date.now();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.byPair = new FailureCount(config.auth.loginMaxFailures, config.auth.loginLockoutWindowMs);
    this.byAddress = new FailureCount(config.auth.loginMaxFailuresPerAddress, config.auth.loginLockoutWindowMs);
  }

  /**
   * Starts an attempt: 0 if it may go ahead (and it now counts as a failure until `succeeded` or
   * `abandoned`), else the seconds until it may be tried again.
   */
  begin(clientIp: string, username: string): number {
    const pair = this.pairKey(clientIp, username);
    const now = this.now();
    const wait = Math.max(this.byPair.lockedFor(pair, now), this.byAddress.lockedFor(clientIp, now));
    if (wait > 0) return wait;
    this.byPair.add(pair, now);
    this.byAddress.add(clientIp, now);
    return 0;
  }

  /** The attempt signed in: the pair's failures are forgotten, the attempt leaves the address's count. */
  succeeded(clientIp: string, username: string): void {
    this.byPair.forget(this.pairKey(clientIp, username));
    this.byAddress.takeBack(clientIp);
  }

  /** The attempt ended without a verdict on the password (e.g. the database was down): it does not count. */
  abandoned(clientIp: string, username: string): void {
    this.byPair.takeBack(this.pairKey(clientIp, username));
    this.byAddress.takeBack(clientIp);
  }

  private pairKey(clientIp: string, username: string): string {
    return `${clientIp}\u0000${normalizeUsername(username)}`;
  }
}
