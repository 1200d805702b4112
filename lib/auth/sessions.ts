import { AppError } from "../errors/app-error.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import type { Logger } from "../logging/logger.ts";
import { forgetSession } from "./authenticate.ts";
import { dummyPasswordHash, hashToken, newSecretToken, verifyPassword } from "./secrets.ts";
import { recordFailedSignIn, recordSuccessfulSignIn, signInRetryAfter } from "./sign-in-throttle.ts";
import type { StaffRole } from "./roles.ts";

export interface SignedIn {
  cookieValue: string;
  expiresAt: Date;
  user: { id: string; username: string; role: StaffRole };
}

/**
 * Password sign-in. Failures say only "invalid username or password" (never which part), take the
 * same argon2 time whether or not the user exists, and are throttled per address and per account
 * (lib/auth/sign-in-throttle.ts). `clientAddress` comes from lib/http/client-address.ts.
 */
export async function signIn(
  db: PrismaClient,
  logger: Logger,
  input: { username: string; password: string; clientAddress: string; ttlHours: number },
): Promise<SignedIn> {
  const attempt = { account: input.username.toLowerCase(), address: input.clientAddress };
  const retryAfterSeconds = await signInRetryAfter(db, attempt);
  if (retryAfterSeconds > 0) {
    throw new AppError("rate_limited", "Too many failed sign-ins; try again later", { extensions: { retryAfterSeconds } });
  }
  const user = await db.user.findUnique({
    where: { username: input.username },
    select: { id: true, username: true, role: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid || user.disabledAt) {
    await recordFailedSignIn(db, attempt);
    logger.warn({ module: "auth", username: input.username, clientAddress: input.clientAddress }, "failed sign-in");
    throw new AppError("unauthenticated", "Invalid username or password");
  }
  await recordSuccessfulSignIn(db, attempt);
  const cookieValue = newSecretToken("pks");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.session.create({ data: { tokenHash: hashToken(cookieValue), userId: user.id, expiresAt } });
  // Opportunistic clean-up keeps the table small without a scheduler.
  await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return { cookieValue, expiresAt, user: { id: user.id, username: user.username, role: user.role as StaffRole } };
}

export async function signOut(db: PrismaClient, cookieValue: string): Promise<void> {
  forgetSession(cookieValue);
  await db.session.deleteMany({ where: { tokenHash: hashToken(cookieValue) } });
}
