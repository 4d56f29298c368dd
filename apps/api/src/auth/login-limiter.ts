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

/** Longest forwarded address kept as part of a key (an IPv6 address with zone fits). */
const MAX_FORWARDED_LENGTH = 64;

/**
 * The address the per-address count uses. Without a trusted proxy (TRUST_PROXY=false) a request
 * that came through one shows the proxy as its peer, and counting that would put every user behind
 * the proxy under one limit, which 30 typos or an attacker's 30 guesses would lock for everyone. So
 * such a request counts under the peer plus the last X-Forwarded-For entry, the one the nearest proxy
 * appended. A client talking to the API directly can write that header and so escape this count (not
 * the per-username one, which keeps the peer): name the proxy in TRUST_PROXY to count real clients.
 */
export function signInAddress(peer: string, forwardedFor: string | string[] | undefined, proxyTrusted: boolean): string {
  if (proxyTrusted || forwardedFor === undefined) return peer;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  const nearest = entries[entries.length - 1].trim().slice(0, MAX_FORWARDED_LENGTH);
  return nearest ? `${peer}>${nearest}` : peer;
}

/**
 * The sign-in limit, two counts of failed sign-ins within `loginLockoutWindowMs`:
 * - per client address and username (in its one form, `normalizeUsername`, as sign-in finds the
 *   account): after `loginMaxFailures` that pair answers 429 — right password or not;
 * - per client address over all usernames (`signInAddress`): after `loginMaxFailuresPerAddress` every
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
  begin(clientIp: string, username: string, address = clientIp): number {
    const pair = this.pairKey(clientIp, username);
    const now = this.now();
    const wait = Math.max(this.byPair.lockedFor(pair, now), this.byAddress.lockedFor(address, now));
    if (wait > 0) return wait;
    this.byPair.add(pair, now);
    this.byAddress.add(address, now);
    return 0;
  }

  /** The attempt signed in: the pair's failures are forgotten, the attempt leaves the address's count. */
  succeeded(clientIp: string, username: string, address = clientIp): void {
    this.byPair.forget(this.pairKey(clientIp, username));
    this.byAddress.takeBack(address);
  }

  /** The attempt ended without a verdict on the password (e.g. the database was down): it does not count. */
  abandoned(clientIp: string, username: string, address = clientIp): void {
    this.byPair.takeBack(this.pairKey(clientIp, username));
    this.byAddress.takeBack(address);
  }

  private pairKey(clientIp: string, username: string): string {
    return `${clientIp}\u0000${normalizeUsername(username)}`;
  }
}
