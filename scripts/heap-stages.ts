/** Retained heap after each stage of the analysis' set-up (index, permissions, graph). */
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { loadAccessLevels } from "@/lib/analysis/policy/access-levels";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import { createPermissionsCache, effectivePermissions } from "@/lib/analysis/policy/effective-permissions";
import { buildPermissionGraph } from "@/lib/analysis/graph/edges";
import { roleEscalationMoves } from "@/lib/analysis/escalation/escalation-paths";
import type { EffectivePermissions } from "@/lib/analysis/types";

const gc = (globalThis as { gc?: () => void }).gc!;
const at = () => { gc(); return Math.round(process.memoryUsage().heapUsed / 2 ** 20); };
const out: Record<string, number> = { base: at() };
await loadAccessLevels();
out.accessLevels = at();
const snapshot = await readSnapshotDir(process.argv[2]);
out.snapshot = at();
const index = indexSnapshot(snapshot);
out.index = at();
const cache = createPermissionsCache();
const permsByRole = new Map<string, EffectivePermissions>();
const permsOf = (r: string) => { let p = permsByRole.get(r); if (!p) permsByRole.set(r, (p = effectivePermissions(index, r, cache))); return p; };
for (const r of index.roles.keys()) permsOf(r);
out.perms = at();
let graph: ReturnType<typeof buildPermissionGraph> | null = buildPermissionGraph(index, permsOf, { escalationMoves: (r) => roleEscalationMoves(index, r, permsOf) });
out.graph = at();
const edges = graph.edges;
const strings = new Set<string>();
let chars = 0;
for (const e of edges) for (const s of [e.reason, e.shortReason, e.from, e.to]) if (!strings.has(s)) { strings.add(s); chars += s.length; }
graph = null;
out.edgesOnly = at();
console.log(JSON.stringify({ ...out, edges: edges.length, roles: index.roles.size, distinctEdgeStrings: strings.size, edgeStringMiB: Math.round(chars / 2 ** 20) }));
