"use client";

import { useState } from "react";
import { THEME_COOKIE, themes } from "@/lib/dashboard/theme";
import type { Theme } from "@/lib/dashboard/theme";

const labels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

/** Light / dark / system: sets the cookie the root layout reads, and the attribute at once. */
export function ThemeToggle({ initialTheme }: { initialTheme: Theme }) {
  const [theme, setTheme] = useState(initialTheme);
  const choose = (next: Theme) => {
    setTheme(next);
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    if (next === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
  };
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {themes.map((value) => (
        <button key={value} type="button" role="radio" aria-checked={theme === value} className={theme === value ? "selected" : ""} onClick={() => choose(value)}>
          {labels[value]}
        </button>
      ))}
    </div>
  );
}
