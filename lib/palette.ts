/**
 * Saltzer's one palette: the dashboard (app/layout.tsx puts these on `:root`) and the HTML report
 * (lib/report/html-report.ts) use the same colours, so a "high" is the same orange on screen and
 * on paper. Pure data: no React, no Node.
 */
import type { Severity } from "@/lib/analysis/types";

export const PALETTE = {
  bg: "#f6f7f9",
  panel: "#ffffff",
  ink: "#1b1f24",
  muted: "#5d6673",
  line: "#dfe3e8",
  accent: "#2457c5",
  "accent-soft": "#e8eefb",
  critical: "#a3112e",
  "critical-soft": "#fbe7eb",
  high: "#c2410c",
  "high-soft": "#fdeee6",
  medium: "#a16207",
  "medium-soft": "#fdf6e0",
  low: "#2f6f4f",
  "low-soft": "#e6f4ec",
  info: "#52606d",
  "info-soft": "#eef1f4",
} as const;

/** A severity's text colour and its soft background. */
export const SEVERITY_COLORS: Record<Severity, { fg: string; soft: string }> = {
  critical: { fg: PALETTE.critical, soft: PALETTE["critical-soft"] },
  high: { fg: PALETTE.high, soft: PALETTE["high-soft"] },
  medium: { fg: PALETTE.medium, soft: PALETTE["medium-soft"] },
  low: { fg: PALETTE.low, soft: PALETTE["low-soft"] },
  info: { fg: PALETTE.info, soft: PALETTE["info-soft"] },
};

/** The palette as CSS custom properties (`--high: #c2410c; …`) on `:root`. */
export function paletteCss(): string {
  return `:root { ${Object.entries(PALETTE)
    .map(([name, value]) => `--${name}: ${value};`)
    .join(" ")} }`;
}
