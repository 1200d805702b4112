import type { z } from "zod";
import { AppError } from "../errors/app-error.ts";

/** Parses or throws an `invalid_input` AppError listing every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, label = "input"): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || label,
    message: issue.message,
  }));
  throw new AppError("invalid_input", `Invalid ${label}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, {
    issues,
  });
}
