import { AppError } from "../errors/app-error.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import type { Logger } from "../logging/logger.ts";
import { forgetSession } from "./authenticate.ts";
import { LoginRateLimiter } from "./login-rate-limiter.ts";
import { dummyPasswordHash, hashToken, newSecretToken, verifyPassword } from "./secrets.ts";
import type { StaffRole } from "./roles.ts";

const limiter = new LoginRateLimiter({ maxFailures: 5, windowMs: 15 * 60_000 });

export interface SignedIn {
  cookieValue: string;
  expiresAt: Date;
  user: { id: string; username: string; role: StaffRole };
}

/**
 * Password sign-in. Failures say only "invalid username or password" (never which part), take the
 * same argon2 time whether or not the user exists, and are rate-limited per client and username.
 */
export async function signIn(
  db: PrismaClient,
  logger: Logger,
  input: { username: string; password: string; clientKey: string; ttlHours: number },
): Promise<SignedIn> {
  const limitKey = `${input.clientKey}|${input.username.toLowerCase()}`;
  const retryAfterSeconds = limiter.blockedFor(limitKey);
  if (retryAfterSeconds > 0) {
    throw new AppError("rate_limited", "Too many failed sign-ins; try again later", { extensions: { retryAfterSeconds } });
  }
  const user = await db.user.findUnique({
    where: { username: input.username },
    select: { id: true, username: true, role: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid || user.disabledAt) {
    limiter.recordFailure(limitKey);
    logger.warn({ module: "auth", username: input.username, clientKey: input.clientKey }, "failed sign-in");
    throw new AppError("unauthenticated", "Invalid username or password");
  }
  limiter.reset(limitKey);
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
