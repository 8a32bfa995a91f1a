/** The stored reach of a function, on a given store: no `server-only`, so the consistency tests can read it. */
import { edgeInAwsCase } from "./action-names";
import { reachSeenFrom } from "@/lib/analysis/graph/reach";
import { LIST_CAPS, type BlastRadius, type ReachedFunction } from "@/lib/analysis/types";
import { decodeRoleReach } from "@/lib/store/role-reach-codec";
import type { Database } from "@/lib/store/db";
import { joinBlastRadius } from "@/lib/store/scan-rows";
import { functionIdOf, graphScanId } from "@/lib/store/shared-rows";

/** Functions listed per page of a function's reach list. */
export const REACH_PAGE_SIZE = 25;

/** One reached function as the reach list and the graph show it. */
export interface ReachEntry extends ReachedFunction {
  /** The reached function's name; null when the scan does not hold it. */
  name: string | null;
}

export interface ReachPage {
  /** Functions reached at any depth (the page's "reaches N functions"). */
  total: number;
  /** Functions reached within `maxHops` (all of them when not given). */
  matching: number;
  /** The largest hop count of any reached function (0 when none). */
  deepest: number;
  offset: number;
  entries: ReachEntry[];
}

export interface ReachOptions {
  offset?: number;
  /** Entries to return; undefined returns every matching one (the graph). */
  limit?: number;
  /** Only functions reached within this many moves. */
  maxHops?: number;
  /** Look up the reached functions' names (default true; the graph reads them with the rest of their metadata). */
  names?: boolean;
}

/**
 * The stored reach of a function: what the analysis' one reach walk found, in its order (taken
 * over first, then by hops). The function page lists it page by page and the graph draws it, so
 * both show the same functions. Null when the scan has no such analysed function.
 */
export async function reachedFunctionsIn(db: Database, scanId: number, functionArn: string, opts: ReachOptions = {}): Promise<ReachPage | null> {
  const id = await functionIdOf(db, scanId, functionArn);
  const fn = id === null ? null : await db.prisma.lambdaFunction.findUnique({ where: { id }, select: { roleArn: true, blastRadius: true } });
  if (!fn) return null;
  const stored = await db.prisma.roleReach.findUnique({ where: { scanId_roleArn: { scanId: await graphScanId(db, scanId), roleArn: fn.roleArn } }, select: { functions: true } });
  let all: ReachedFunction[];
  let total: number;
  if (stored) {
    all = reachSeenFrom(decodeRoleReach(stored.functions, `role ${fn.roleArn}`), functionArn);
    total = all.length;
  } else {
    // Scans stored before the whole reach was: the blast radius' first entries and its count.
    const radius = joinBlastRadius(fn.blastRadius, null);
    all = radius?.reachableFunctions ?? [];
    total = radius?.totals.reachableFunctions ?? 0;
  }
  const matchingList = opts.maxHops === undefined ? all : all.filter((r) => r.hops <= opts.maxHops!);
  const offset = Math.max(0, opts.offset ?? 0);
  const slice = opts.limit === undefined ? matchingList.slice(offset) : matchingList.slice(offset, offset + opts.limit);
  const names = opts.names === false ? new Map<string, string>() : await namesOf(db, scanId, slice.map((r) => r.arn));
  return {
    total,
    matching: opts.maxHops === undefined ? total : matchingList.length,
    deepest: all.reduce((m, r) => Math.max(m, r.hops), 0),
    offset,
    entries: slice.map((r) => ({ ...inAwsCase(r), name: names.get(r.arn) ?? null })),
  };
}

/** Reasons name actions: shown in AWS's spelling like every other surface. */
const inAwsCase = (r: ReachedFunction): ReachedFunction => ({ ...r, path: r.path.map(edgeInAwsCase) });

/**
 * Each function's blast radius with its first reached functions, as the JSON report prints it.
 * Scans store the list empty (lib/store/scan-rows.ts): it is the start of the role's stored
 * reach, read here (`firstReachedOf`); older scans stored it, and it is kept as stored.
 */
export async function withFirstReachedFunctions(
  db: Database,
  scanId: number,
  fns: readonly { arn: string; roleArn: string; radius: BlastRadius | null }[],
  decoded?: Map<string, ReachedFunction[]>,
): Promise<Map<string, BlastRadius | null>> {
  const unlisted = fns.filter(({ radius }) => radius !== null && radius.reachableFunctions.length === 0 && radius.totals.reachableFunctions > 0);
  const reached = unlisted.length ? await firstReachedOf(db, scanId, unlisted, decoded) : new Map<string, ReachedFunction[]>();
  return new Map(
    fns.map(({ arn, radius }) => {
      const list = reached.get(arn);
      // The same object when nothing is added: the writers render a shared radius once.
      return [arn, radius && list?.length ? { ...radius, reachableFunctions: list } : radius];
    }),
  );
}

/**
 * Each function's first `LIST_CAPS.reachableFunctions` reached functions, as its blast radius
 * lists them: the start of the reach list its page shows (its role's stored reach, seen from it),
 * in AWS's spelling. `decoded` keeps the roles' decoded reach starts between calls (a report's pages).
 */
export async function firstReachedOf(db: Database, scanId: number, fns: readonly { arn: string; roleArn: string }[], decoded = new Map<string, ReachedFunction[]>()): Promise<Map<string, ReachedFunction[]>> {
  const limit = LIST_CAPS.reachableFunctions;
  const missing = [...new Set(fns.map((f) => f.roleArn))].filter((role) => !decoded.has(role));
  if (missing.length) {
    const rows = await db.query<{ role_arn: string; functions: unknown }>(`SELECT role_arn, functions FROM role_reach WHERE scan_id = $1 AND role_arn = ANY($2::text[])`, [await graphScanId(db, scanId), missing]);
    // One more than listed: the reading function itself may be among them.
    for (const row of rows) decoded.set(row.role_arn, decodeRoleReach(typeof row.functions === "string" ? JSON.parse(row.functions) : row.functions, `role ${row.role_arn}`, limit + 1));
  }
  return new Map(fns.map((f) => [f.arn, reachSeenFrom(decoded.get(f.roleArn) ?? [], f.arn).slice(0, limit).map(inAwsCase)]));
}

async function namesOf(db: Database, scanId: number, arns: string[]): Promise<Map<string, string>> {
  if (arns.length === 0) return new Map();
  const rows = await db.prisma.functionVerdict.findMany({ where: { scanId, arn: { in: [...new Set(arns)] } }, select: { arn: true, name: true } });
  return new Map(rows.map((r) => [r.arn, r.name]));
}
