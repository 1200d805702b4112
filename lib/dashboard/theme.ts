/**
 * The console's theme: light, dark, or the system's. Kept in a cookie so the server renders
 * `data-theme` on <html> and the first paint already has the right colours (no flash).
 */
export const THEME_COOKIE = "pnakotic_theme";
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

export function parseTheme(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}
