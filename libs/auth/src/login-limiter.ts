/**
 * Failed-login limits. Each process counts in its memory (and holds the places of attempts still being
 * checked); the failures are also counted in the database (`SharedLoginFailures`) and passed to `admit`,
 * so several instances of a service share one budget per address and account. Three counters, each over
 * a fixed window:
 *
 * - per address, across all accounts (default 30 failures / 10 min): one address cannot spread guesses
 *   over many usernames;
 * - per (address, account) (default 10 failures / 10 min): one address cannot hammer one account;
 * - per account, across all addresses (default 100 failures / 10 min): the account is then slowed
 *   (each attempt waits `slowDownMs`), never locked, so an attacker behind one proxy cannot lock a named
 *   officer out for people elsewhere.
 *
 * Attempts still being checked count against the address limits as if they would fail, so a burst of
 * parallel requests cannot slip past a limit before the first failure is recorded. Successful logins
 * release their place and count for nothing.
 */

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface LoginLimits {
  perAddress: WindowLimit;
  perAddressAccount: WindowLimit;
  perAccount: WindowLimit & { slowDownMs: number };
  /** At most this many keys per counter; expired ones go first, then the oldest. */
  maxEntries: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAddress: { limit: 30, windowMs: 10 * 60_000 },
  perAddressAccount: { limit: 10, windowMs: 10 * 60_000 },
  perAccount: { limit: 100, windowMs: 10 * 60_000, slowDownMs: 2_000 },
  maxEntries: 100_000,
};

export interface LoginAttempt {
  /** How long to wait before checking the password: > 0 while the account is over its all-address budget. */
  readonly slowDownMs: number;
  /** The password was right (or the account disabled): nothing is counted. */
  succeeded(): void;
  /** A wrong password or unknown user: counted against the address, the pair and the account. */
  failed(): void;
}

/** Failures every instance has counted, with how long their windows still run (from the database). */
export interface SharedFailureCounts {
  address: { failures: number; retryAfterSeconds: number };
  pair: { failures: number; retryAfterSeconds: number };
  account: { failures: number };
}

export type LoginAdmission =
  | { allowed: true; attempt: LoginAttempt }
  | { allowed: false; scope: 'address' | 'address-account'; retryAfterSeconds: number };

interface Entry {
  windowStart: number;
  failures: number;
  inFlight: number;
}

class WindowCounters {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The entry for a key with its window brought up to date (not created). */
  peek(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.windowStart >= this.windowMs) {
      e.windowStart = now;
      e.failures = 0;
    }
    return e;
  }

  entry(key: string, now: number): Entry {
    let e = this.peek(key, now);
    if (!e) {
      if (this.entries.size >= this.maxEntries) this.prune(now);
      e = { windowStart: now, failures: 0, inFlight: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  retryAfterSeconds(e: Entry, now: number): number {
    return Math.max(1, Math.ceil((e.windowStart + this.windowMs - now) / 1000));
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) {
      if (e.inFlight === 0 && (now - e.windowStart >= this.windowMs || e.failures === 0)) {
        this.entries.delete(key);
      }
    }
    // Still full: forget the oldest keys (inserted first) until a tenth is free.
    const target = Math.floor(this.maxEntries * 0.9);
    for (const [key, e] of this.entries) {
      if (this.entries.size <= target) break;
      if (e.inFlight === 0) this.entries.delete(key);
    }
  }
}

export class LoginLimiter {
  private readonly byAddress: WindowCounters;
  private readonly byPair: WindowCounters;
  private readonly byAccount: WindowCounters;

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.byAddress = new WindowCounters(limits.perAddress.windowMs, limits.maxEntries);
    this.byPair = new WindowCounters(limits.perAddressAccount.windowMs, limits.maxEntries);
    this.byAccount = new WindowCounters(limits.perAccount.windowMs, limits.maxEntries);
  }

  /**
   * Whether an attempt from `address` on `username` may go on; if so, its place is held until settled.
   * `shared`: every instance's counts with this attempt already reserved in them
   * (`SharedLoginFailures.reserve`: failures and attempts being checked); without it (the database away)
   * this process's own counts decide.
   */
  admit(address: string, username: string, shared?: SharedFailureCounts): LoginAdmission {
    const now = this.now();
    const pairKey = `${address}\n${username}`;
    // With this attempt: this process's failures and attempts being checked, or every instance's.
    const withThis = (e: Entry | undefined, everyone: number | undefined) =>
      Math.max((e?.failures ?? 0) + (e?.inFlight ?? 0) + 1, everyone ?? 0);
    const address_ = this.byAddress.peek(address, now);
    if (withThis(address_, shared?.address.failures) > this.limits.perAddress.limit) {
      return {
        allowed: false,
        scope: 'address',
        retryAfterSeconds: Math.max(
          address_ ? this.byAddress.retryAfterSeconds(address_, now) : 1,
          shared?.address.retryAfterSeconds ?? 0,
        ),
      };
    }
    const pair_ = this.byPair.peek(pairKey, now);
    if (withThis(pair_, shared?.pair.failures) > this.limits.perAddressAccount.limit) {
      return {
        allowed: false,
        scope: 'address-account',
        retryAfterSeconds: Math.max(
          pair_ ? this.byPair.retryAfterSeconds(pair_, now) : 1,
          shared?.pair.retryAfterSeconds ?? 0,
        ),
      };
    }
    const account_ = this.byAccount.peek(username, now);
    // Before this attempt.
    const accountFailures = Math.max(account_?.failures ?? 0, (shared?.account.failures ?? 1) - 1);
    const slowDownMs =
      accountFailures >= this.limits.perAccount.limit ? this.limits.perAccount.slowDownMs : 0;

    const a = this.byAddress.entry(address, now);
    const p = this.byPair.entry(pairKey, now);
    a.inFlight++;
    p.inFlight++;
    let settled = false;
    const settle = (failed: boolean) => {
      if (settled) return;
      settled = true;
      a.inFlight--;
      p.inFlight--;
      if (!failed) return;
      const at = this.now();
      // Count in the entries now in the maps (a full map may have replaced them meanwhile).
      this.byAddress.entry(address, at).failures++;
      this.byPair.entry(pairKey, at).failures++;
      this.byAccount.entry(username, at).failures++;
    };
    return {
      allowed: true,
      attempt: { slowDownMs, succeeded: () => settle(false), failed: () => settle(true) },
    };
  }

  /** For tests and monitoring: how many keys each counter holds. */
  sizes(): { addresses: number; pairs: number; accounts: number } {
    return { addresses: this.byAddress.size, pairs: this.byPair.size, accounts: this.byAccount.size };
  }
}
