/** The risk view's list, on a given store: no `server-only`, so the consistency tests and the CLI can read it. */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { loadScanView, type ScanView, type ViewFunction, type WorstFinding } from "./scan-view";
import { applyViewFilter, type ViewFilter } from "./view-filter";

export const FUNCTION_SORTS = ["risk", "name", "account", "region", "runtime", "role", "policies", "findings", "public"] as const;
export type FunctionSort = (typeof FUNCTION_SORTS)[number];

export interface FunctionListParams {
  scanId: number;
  /** The one view filter (lib/queries/view-filter.ts), shared with the exports and the CLI. */
  filter: ViewFilter;
  sort?: FunctionSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
}

export interface FunctionRow {
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  region: string;
  runtime: string | null;
  roleName: string;
  roleArn: string;
  policyCount: number;
  isPublic: boolean;
  hasSecrets: boolean;
  sharedRole: boolean;
  riskScore: number | null;
  severity: Severity | null;
  /** Findings the view lists for this function (the filter's severity, category and suppression). */
  findingCount: number;
  incomplete: { api: string; reason: string }[];
  /** Why it is risky, in a word: its worst unsuppressed finding (null when none applies). */
  worstFinding: WorstFinding | null;
}

export interface FunctionList {
  rows: FunctionRow[];
  total: number;
  /** Findings the whole filtered view lists (every page): what its exports hold. */
  findingTotal: number;
  page: number;
  pageCount: number;
  pageSize: number;
  accounts: { id: string; name: string | null }[];
  regions: string[];
  runtimes: string[];
}

const sevRank = (s: Severity | null) => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));
const byName = (a: ViewFunction, b: ViewFunction) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn);
const COMPARE: Record<FunctionSort, (a: ViewFunction, b: ViewFunction) => number> = {
  risk: (a, b) => (a.riskScore ?? -1) - (b.riskScore ?? -1) || sevRank(b.severity) - sevRank(a.severity),
  findings: (a, b) => a.findings.length - b.findings.length,
  name: byName,
  account: (a, b) => a.accountId.localeCompare(b.accountId),
  region: (a, b) => a.region.localeCompare(b.region),
  runtime: (a, b) => (a.runtime ?? "").localeCompare(b.runtime ?? ""),
  role: (a, b) => a.roleArn.localeCompare(b.roleArn),
  policies: (a, b) => a.policyCount - b.policyCount,
  public: (a, b) => Number(a.isPublic) - Number(b.isPublic),
};

/** The risk view's rows in order, every page: the view filter, then the sort. */
export function selectFunctions(view: ScanView, params: Pick<FunctionListParams, "filter" | "sort" | "dir">): ViewFunction[] {
  const selected = applyViewFilter(view.functions, params.filter);
  const sort = params.sort ?? "risk";
  const dir = params.dir ?? (sort === "risk" ? "desc" : "asc");
  const sign = dir === "asc" ? 1 : -1;
  return selected.sort((a, b) => sign * COMPARE[sort](a, b) || byName(a, b));
}

/** The risk view: the scan view through the view filter, sorted and paged. */
export async function listFunctionsIn(db: Database, params: FunctionListParams): Promise<FunctionList> {
  const pageSize = Math.min(Math.max(params.pageSize ?? 50, 10), 200);
  const view = await loadScanView(db, params.scanId, { light: true, search: Boolean(params.filter.q?.trim()) });
  const selected = selectFunctions(view, params);
  const total = selected.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(params.page ?? 1, 1), pageCount);
  const all = view.functions;
  return {
    rows: selected.slice((page - 1) * pageSize, page * pageSize).map((r) => ({
      arn: r.arn,
      name: r.name,
      accountId: r.accountId,
      accountName: r.accountName,
      region: r.region,
      runtime: r.runtime,
      roleArn: r.roleArn,
      roleName: r.roleArn.split("/").pop() ?? r.roleArn,
      policyCount: r.policyCount,
      isPublic: r.isPublic,
      hasSecrets: r.hasSecrets,
      sharedRole: r.sharedRole,
      riskScore: r.riskScore,
      severity: r.severity,
      findingCount: r.findings.length,
      incomplete: r.incomplete,
      worstFinding: r.worstFinding,
    })),
    total,
    findingTotal: selected.reduce((n, f) => n + f.findings.length, 0),
    page,
    pageCount,
    pageSize,
    accounts: view.accounts,
    regions: [...new Set(all.map((f) => f.region))].sort(),
    runtimes: [...new Set(all.flatMap((f) => (f.runtime ? [f.runtime] : [])))].sort(),
  };
}
