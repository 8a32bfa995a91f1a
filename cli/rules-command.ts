/** `saltzer rules`: the catalogue is data a report can print. */
import { RISK_FORMULA } from "@/lib/analysis/risk-score";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { safeTerminalBlock, safeTerminalJson, safeTerminalText } from "./terminal-text";

export function formatRules(json: boolean): string {
  if (json) return `${safeTerminalJson(JSON.stringify({ rules: RULE_CATALOGUE, riskFormula: RISK_FORMULA }, null, 2))}\n`;
  const rows = RULE_CATALOGUE.map((r) => [r.id, r.category, r.severity, r.title].map(safeTerminalText));
  const header = ["RULE", "CATEGORY", "SEVERITY", "TITLE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return `${[line(header), ...rows.map(line)].join("\n")}\n\n${safeTerminalBlock(RISK_FORMULA)}\n`;
}
