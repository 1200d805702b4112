import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { isUniqueViolation } from "../persistence/prisma-errors.ts";
import { parseInput } from "../validation/parse-input.ts";
import { staffRoles } from "./roles.ts";
import type { StaffRole } from "./roles.ts";
import { hashPassword, hashToken, newSecretToken } from "./secrets.ts";
import { roles } from "./roles.ts";
import type { Role } from "./roles.ts";
import type { TokenScope } from "./token-scope.ts";

export const usernameSchema = z
  .string()
  .trim()
  .min(2, "username must be at least 2 characters")
  .max(64, "username is at most 64 characters")
  .regex(/^[a-zA-Z0-9._-]+$/, "username may contain letters, digits, '.', '_' and '-'");
export const passwordSchema = z.string().min(10, "password must be at least 10 characters").max(200, "password is at most 200 characters");

export async function createStaffUser(
  db: PrismaClient,
  input: { username: string; password: string; role: StaffRole },
): Promise<{ id: string; username: string; role: StaffRole }> {
  const username = parseInput(usernameSchema, input.username, "username");
  const password = parseInput(passwordSchema, input.password, "password");
  const role = parseInput(z.enum(staffRoles), input.role, "role");
  try {
    const user = await db.user.create({
      data: { username, role, passwordHash: await hashPassword(password) },
      select: { id: true, username: true },
    });
    return { ...user, role };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("already_exists", `A user named "${username}" already exists`);
    throw error;
  }
}

export const tokenNameSchema = z
  .string()
  .trim()
  .min(2, "token name must be at least 2 characters")
  .max(64, "token name is at most 64 characters")
  .regex(/^[a-zA-Z0-9._:-]+$/, "token name may contain letters, digits, '.', '_', ':' and '-'");

/** Creates a bearer token; the plain token is returned once and only its hash is stored. */
export async function createApiToken(
  db: PrismaClient,
  input: { name: string; role?: Role; scope?: TokenScope | null },
): Promise<{ id: string; name: string; role: Role; scope: TokenScope | null; token: string }> {
  const name = parseInput(tokenNameSchema, input.name, "token name");
  const role = parseInput(z.enum(roles), input.role ?? "service", "role");
  const token = newSecretToken("pnk");
  try {
    const scope = input.scope ?? null;
    const created = await db.apiToken.create({ data: { name, role, scope, tokenHash: hashToken(token) }, select: { id: true, name: true } });
    return { ...created, role, scope, token };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("already_exists", `A token named "${name}" already exists`);
    throw error;
  }
}

export async function revokeApiToken(db: PrismaClient, name: string): Promise<void> {
  const result = await db.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
  if (result.count === 0) throw new AppError("not_found", `No active token named "${name}"`);
}
