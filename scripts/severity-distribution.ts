/**
 * Severity distribution of a stored scan, as every surface shows it (lib/queries/scan-view.ts),
 * beside the bare score bands: `tsx scripts/severity-distribution.ts [SCAN_ID]` (latest by default).
 */
import { severityForScore } from "@/lib/analysis/risk-score";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import { openStore } from "@/cli/open-store";
import { latestCompleteScanId } from "@/lib/queries/json-report";
import { loadScanView } from "@/lib/queries/scan-view";

const db = await openStore();
try {
  const scanId = process.argv[2] ? Number(process.argv[2]) : await latestCompleteScanId(db);
  if (!scanId) throw new Error("No complete scan stored.");
  const view = await loadScanView(db, scanId);
  const count = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const shown = count();
  const bands = count();
  const findings = count();
  for (const fn of view.functions) {
    if (fn.severity) shown[fn.severity] += 1;
    if (fn.riskScore !== null) bands[severityForScore(fn.riskScore)] += 1;
    for (const f of fn.findings) if (!f.suppressed) findings[f.severity] += 1;
  }
  const n = view.functions.length;
  const pct = (x: number) => `${((100 * x) / n).toFixed(1)} %`;
  console.log(`scan ${scanId}: ${n} functions, ${view.functions.filter((f) => f.incomplete.length).length} incomplete, ${view.functions.filter((f) => f.isPublic).length} public`);
  for (const s of SEVERITIES) console.log(`${s.padEnd(9)} functions ${String(shown[s]).padStart(6)} (${pct(shown[s])})   score band alone ${String(bands[s]).padStart(6)} (${pct(bands[s])})   findings ${findings[s]}`);
} finally {
  await db.close();
}
