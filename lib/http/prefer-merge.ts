import type { SaveMergeMode } from "../player-operations/save-player.ts";

/**
 * `Prefer: merge=none` (RFC 7240 preference syntax) asks a whole save for the strict behaviour:
 * a stale version is refused with 409 instead of merged. Any other preference is ignored, as RFC
 * 7240 asks of preferences a server does not know.
 */
export function saveMergeModeFrom(headers: Headers): SaveMergeMode {
  const prefer = headers.get("prefer") ?? "";
  const strict = prefer.split(",").some((preference) => /^\s*merge\s*=\s*"?none"?\s*(;|$)/i.test(preference));
  return strict ? "none" : "three-way";
}
