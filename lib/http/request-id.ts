import { randomUUID } from "node:crypto";

/** Accepts the caller's X-Request-Id when it is a sane token; otherwise makes one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  if (given && /^[A-Za-z0-9._:-]{1,100}$/.test(given)) return given;
  return randomUUID();
}
