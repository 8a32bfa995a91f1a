import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot } from "@/lib/analysis/analyze-snapshot";
const t0 = performance.now();
const snap = await readSnapshotDir(process.argv[2]);
const t1 = performance.now();
const a = await analyzeSnapshot(snap);
const t2 = performance.now();
console.log("parse", ((t1-t0)/1000).toFixed(2), "analyse", ((t2-t1)/1000).toFixed(2), JSON.stringify(a.stats), "edges", a.edges.length, "rss MB", Math.round(process.memoryUsage().rss/1e6));
if (process.argv[3]) for (const [arn, f] of a.functions) {
  console.log(arn.split(":").slice(4).join(":"), f.risk.score, f.risk.severity, f.findings.map(x => `${x.ruleId}:${x.severity}`).join(","));
}
