/**
 * A token's scope narrows what its role may do, and may open a few routes the role alone cannot
 * (RouteSpec access `scopes`). "test-players" is the Playwright kit's token
 * (`npm run admin -- token create qa-kit --role service --scope test-players`): its writes reach only
 * players with a testTag (checked in the write statement's WHERE), the players it creates are tagged,
 * and it may purge test players and run the integrity check. A leaked QA token cannot touch a real
 * player.
 */
export const tokenScopes = ["test-players"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export function asTokenScope(value: string | null): TokenScope | null {
  if (value === null) return null;
  if ((tokenScopes as readonly string[]).includes(value)) return value as TokenScope;
  throw new Error(`stored token scope "${value}" is not a known scope`);
}
