/**
 * One answer for reach (issue 11 §7): for the sample and a generated 1,000-function organization,
 * every function's graph contains every function its page says it reaches, at every depth the
 * graph offers (drawn, or inside a group that expands to it), and the page's count, its paginated
 * list and the blast radius agree; the JSON report's blast radius lists the start of that list.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allNodes, expandGroup, type GraphView } from "@/components/permission-graph/graph-view-model";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { joinBlastRadius } from "@/lib/store/scan-rows";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { functionGraphIn } from "./permission-graph";
import { LIST_CAPS } from "@/lib/analysis/types";
import { buildJsonReport } from "./json-report";
import { reachedFunctionsIn, REACH_PAGE_SIZE, type ReachEntry } from "./reach";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-graph-reach-"));

/** Every function the graph holds: drawn, or a member (at any nesting) of a group node. */
function functionsOf(view: Pick<GraphView, "nodes">): Set<string> {
  return new Set(allNodes(view).filter(({ node }) => node.type === "function").map(({ node }) => node.id));
}

/** The reach list exactly as the function page shows it: page after page of REACH_PAGE_SIZE. */
async function listedOnPages(t: TestDatabase, scanId: number, arn: string): Promise<{ total: number; entries: ReachEntry[] }> {
  const entries: ReachEntry[] = [];
  let total = 0;
  for (let offset = 0; ; offset += REACH_PAGE_SIZE) {
    const page = (await reachedFunctionsIn(t.db, scanId, arn, { offset, limit: REACH_PAGE_SIZE }))!;
    total = page.total;
    entries.push(...page.entries);
    if (page.entries.length < REACH_PAGE_SIZE) break;
  }
  return { total, entries };
}

describe.each([
  { name: "the sample", source: () => path.join(ROOT, "samples/acme") },
  {
    name: "a generated 1,000-function organization",
    source: () => {
      const out = path.join(tmp, "org1k");
      execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/gen-org.ts"), "--functions", "1000", "--accounts", "10", "--seed", "42", "--out", out, "--force"], { cwd: ROOT, stdio: "pipe" });
      return out;
    },
  },
])("the graph draws the reach the page lists: $name", ({ source }) => {
  let t: TestDatabase;
  let scanId: number;
  let functions: { arn: string; name: string; blastRadius: unknown }[];

  beforeAll(async () => {
    const dir = source();
    t = await freshPglite();
    ({ scanId } = await scanSnapshotDir(t.db, dir, { now: "2026-11-01T00:00:00.000Z" }));
    functions = await t.db.prisma.lambdaFunction.findMany({ where: { scanId }, select: { arn: true, name: true, blastRadius: true }, orderBy: { arn: "asc" } });
  }, 600_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it("lists, page by page, as many functions as the blast radius counts, each once, with a path ending at it", async () => {
    let reaching = 0;
    for (const fn of functions) {
      const counted = joinBlastRadius(fn.blastRadius, null)!.totals.reachableFunctions;
      const listed = await listedOnPages(t, scanId, fn.arn);
      expect(listed.total, fn.name).toBe(counted);
      expect(listed.entries.length, fn.name).toBe(counted);
      expect(new Set(listed.entries.map((r) => r.arn)).size, fn.name).toBe(counted);
      for (const r of listed.entries) {
        expect(r.arn).not.toBe(fn.arn);
        expect(r.path.at(-1)?.to, `${fn.name} → ${r.arn}`).toBe(r.arn);
        expect(r.path[0]?.from, `${fn.name} → ${r.arn}`).toBe(fn.arn);
      }
      if (counted > 0) reaching += 1;
    }
    // The check means something: many functions reach others, some more than one page's worth.
    expect(reaching).toBeGreaterThan(3);
  }, 600_000);

  it("lists in each blast radius of the JSON report the start of the function page's reach list, paths included", async () => {
    const report = await buildJsonReport(t.db, scanId);
    let cut = 0;
    for (const fn of report.functions) {
      const radius = fn.blastRadius!;
      const listed = await listedOnPages(t, scanId, fn.arn);
      expect(radius.totals.reachableFunctions, fn.name).toBe(listed.total);
      const start = listed.entries.slice(0, LIST_CAPS.reachableFunctions).map(({ name: _name, ...r }) => r);
      expect(radius.reachableFunctions, fn.name).toEqual(start);
      if (listed.total > LIST_CAPS.reachableFunctions) cut += 1;
    }
    // Some lists are cut: which functions the cut keeps is what this checks.
    if (functions.length > 100) expect(cut).toBeGreaterThan(0);
  }, 600_000);

  it("contains every listed function up to the depth shown, at every depth, and the depth changes what is drawn", async () => {
    let depthChanged = 0;
    for (const fn of functions) {
      const listed = (await reachedFunctionsIn(t.db, scanId, fn.arn))!;
      if (listed.total === 0) continue;
      const sizes: number[] = [];
      for (let depth = 1; depth <= listed.deepest; depth++) {
        const graph = (await functionGraphIn(t.db, scanId, fn.arn, { depth }))!;
        expect(graph.reach.depth).toBe(depth);
        const held = functionsOf(graph);
        const within = listed.entries.filter((r) => r.hops <= depth);
        for (const r of within) expect(held.has(r.arn), `${fn.name} depth ${depth} misses ${r.arn} (${r.hops} moves)`).toBe(true);
        // Nothing beyond the depth is drawn as reached, and the count of what lies beyond is right.
        expect(graph.reach.shown).toBe(within.length);
        expect(graph.truncated.hiddenNodes).toBe(listed.total - within.length);
        sizes.push(held.size);
      }
      if (new Set(sizes).size > 1) depthChanged += 1;
      // Expanding every group draws every reached function as a node.
      const whole = (await functionGraphIn(t.db, scanId, fn.arn))!;
      let open: GraphView = whole;
      for (let guard = 0; guard < 50; guard++) {
        const group = open.nodes.find((n) => n.type === "group" && n.group?.kind !== "has-statement");
        if (!group) break;
        open = expandGroup(open, group.id);
      }
      const drawn = new Set(open.nodes.filter((n) => n.type === "function").map((n) => n.id));
      for (const r of listed.entries) expect(drawn.has(r.arn), `${fn.name}: expanded graph misses ${r.arn}`).toBe(true);
    }
    if (functions.length > 100) expect(depthChanged).toBeGreaterThan(0);
  }, 900_000);
});
