import { RateLimiterPrisma } from "rate-limiter-flexible";
import type { RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../persistence/prisma-client.ts";

/**
 * Sign-in throttling policy (README, "Sign-in throttling"). Counters live in the database
 * (SignInThrottle, rate-limiter-flexible's Prisma store), so every instance sees the same counts.
 *
 * - Per address: 20 failed sign-ins in 15 minutes refuse every sign-in from that address until the
 *   window ends. An attacker blocks only their own address.
 * - Per account and address: 5 failed sign-ins in an hour refuse that account from that address
 *   (a brute force against one account from one place), until a success resets the count.
 * - Per account, any address: the first 10 failures in an hour are free; each failure after that
 *   imposes a delay that doubles (1 s, 2 s, 4 s … up to 15 minutes) during which the account
 *   cannot be signed in to — except from an address where it signed in successfully in the last 30
 *   days. A distributed guesser slows down exponentially; the real user, from a known address,
 *   is never locked out by it.
 *
 * Attempts refused by the throttle do not count as failures (they never checked a password).
 */
export const SIGN_IN_POLICY = {
  addressFailures: 20,
  addressWindowSeconds: 15 * 60,
  accountAddressFailures: 5,
  accountAddressWindowSeconds: 60 * 60,
  accountFreeFailures: 10,
  accountWindowSeconds: 60 * 60,
  accountMaxDelaySeconds: 15 * 60,
  knownAddressDays: 30,
} as const;

interface Limiters {
  address: RateLimiterPrisma;
  accountAddress: RateLimiterPrisma;
  account: RateLimiterPrisma;
  accountDelay: RateLimiterPrisma;
  knownAddress: RateLimiterPrisma;
}

const limitersByClient = new WeakMap<PrismaClient, Limiters>();

function limitersFor(db: PrismaClient): Limiters {
  let limiters = limitersByClient.get(db);
  if (!limiters) {
    const store = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterPrisma({ storeClient: db, tableName: "signInThrottle", keyPrefix, points, duration });
    limiters = {
      address: store("address", SIGN_IN_POLICY.addressFailures, SIGN_IN_POLICY.addressWindowSeconds),
      accountAddress: store("account-address", SIGN_IN_POLICY.accountAddressFailures, SIGN_IN_POLICY.accountAddressWindowSeconds),
      account: store("account", SIGN_IN_POLICY.accountFreeFailures, SIGN_IN_POLICY.accountWindowSeconds),
      // `block(key, seconds)` stores a record that `get` reports as over the limit until it expires.
      accountDelay: store("account-delay", 1, SIGN_IN_POLICY.accountMaxDelaySeconds),
      knownAddress: store("known-address", 1, SIGN_IN_POLICY.knownAddressDays * 86_400),
    };
    limitersByClient.set(db, limiters);
  }
  return limiters;
}

export interface SignInAttempt {
  /** Lower-cased username (unknown usernames are throttled the same way: no enumeration). */
  account: string;
  address: string;
}

const pairKey = (attempt: SignInAttempt) => `${attempt.account}|${attempt.address}`;
const secondsLeft = (result: RateLimiterRes | null, limit: number) =>
  result && result.consumedPoints >= limit && result.msBeforeNext > 0 ? Math.ceil(result.msBeforeNext / 1000) : 0;

/** Seconds until this attempt may check a password (0 = now). */
export async function signInRetryAfter(db: PrismaClient, attempt: SignInAttempt): Promise<number> {
  const limiters = limitersFor(db);
  const pair = pairKey(attempt);
  const [address, accountAddress, delay, known] = await Promise.all([
    limiters.address.get(attempt.address),
    limiters.accountAddress.get(pair),
    limiters.accountDelay.get(attempt.account),
    limiters.knownAddress.get(pair),
  ]);
  return Math.max(
    secondsLeft(address, SIGN_IN_POLICY.addressFailures),
    secondsLeft(accountAddress, SIGN_IN_POLICY.accountAddressFailures),
    known ? 0 : secondsLeft(delay, 2),
  );
}

export async function recordFailedSignIn(db: PrismaClient, attempt: SignInAttempt): Promise<void> {
  const limiters = limitersFor(db);
  const [, , account] = await Promise.all([
    limiters.address.penalty(attempt.address),
    limiters.accountAddress.penalty(pairKey(attempt)),
    limiters.account.penalty(attempt.account),
  ]);
  const beyondFree = account.consumedPoints - SIGN_IN_POLICY.accountFreeFailures;
  if (beyondFree > 0) {
    const delaySeconds = Math.min(2 ** Math.min(beyondFree - 1, 30), SIGN_IN_POLICY.accountMaxDelaySeconds);
    await limiters.accountDelay.block(attempt.account, delaySeconds);
  }
}

export async function recordSuccessfulSignIn(db: PrismaClient, attempt: SignInAttempt): Promise<void> {
  const limiters = limitersFor(db);
  await limiters.accountAddress.delete(pairKey(attempt));
  await limiters.knownAddress.set(pairKey(attempt), 1, SIGN_IN_POLICY.knownAddressDays * 86_400);
}
