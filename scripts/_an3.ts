import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot } from "@/lib/analysis/analyze-snapshot";
const a = await analyzeSnapshot(await readSnapshotDir("samples/acme"));
for (const name of process.argv.slice(2)) for (const [arn, f] of a.functions) if (arn.endsWith(":function:" + name)) {
  console.log(arn, f.risk.score, f.risk.severity, f.risk.explanation.join(" | "));
  for (const x of f.findings) console.log(" -", x.ruleId, x.severity, x.reason.slice(0, 300));
}
