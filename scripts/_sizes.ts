import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot } from "@/lib/analysis/analyze-snapshot";
const a = await analyzeSnapshot(await readSnapshotDir(process.argv[2]));
const tot: Record<string, number> = {};
const add = (k: string, v: unknown) => { tot[k] = (tot[k] ?? 0) + JSON.stringify(v).length; };
for (const f of a.functions.values()) {
  add("findings", f.findings); add("blast.services", f.blastRadius.services); add("blast.dataStores", f.blastRadius.dataStores);
  add("blast.reach", f.blastRadius.reachableFunctions); add("blast.esc", f.blastRadius.escalationPaths); add("risk", f.risk);
  add("rec.doc", f.recommendedPolicy.document); add("rec.diff", f.recommendedPolicy.diff); add("rec.notes", f.recommendedPolicy.notes); add("rec.removed", f.recommendedPolicy.removedActions);
}
add("edges", a.edges);
for (const [k, v] of Object.entries(tot)) console.log(k.padEnd(18), (v / 1e6).toFixed(1), "MB");
