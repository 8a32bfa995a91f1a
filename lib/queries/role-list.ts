/** The roles page's list, on a given store: no `server-only`, so the database tests read it (lib/queries/roles.ts serves the page). */
import type { Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { readScanAggregates } from "@/lib/store/scan-aggregates";
import { severityForScore } from "@/lib/analysis/risk-score";

export interface RoleRow {
  arn: string;
  name: string;
  accountId: string;
  functionCount: number;
  worstScore: number | null;
  worstSeverity: Severity | null;
  policyCount: number;
  hasBoundary: boolean;
  functions: { arn: string; name: string }[];
}

export interface RoleListOptions {
  /** Case-insensitive part of the role ARN. */
  q?: string;
  sharedOnly?: boolean;
  page?: number;
  pageSize?: number;
}

/** Roles that execute functions, shared ones first, with their functions (stored per role when the scan was stored). */
export async function listRolesIn(db: Database, scanId: number, options: RoleListOptions) {
  // The role summaries (lib/store/scan-page-data.ts; derived now for a scan stored before them).
  await readScanAggregates(db, scanId);
  const pageSize = options.pageSize ?? 50;
  const page = Math.max(1, options.page ?? 1);
  const q = options.q?.trim() ? `%${options.q.trim().toLowerCase()}%` : null;
  const where = `scan_id = $1 AND ($2::text IS NULL OR lower(arn) LIKE $2) AND (NOT $3 OR function_count > 1)`;
  const params = [scanId, q, options.sharedOnly ?? false];
  // The count apart from the page: the page reads its rows through the order's index, not every role's functions.
  const [[counted], rows] = await Promise.all([
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM role_summaries WHERE ${where}`, params),
    db.query<{ arn: string; name: string; account_id: string; n: number; worst: number | null; policies: number; has_boundary: boolean; fns: { arn: string; name: string }[] }>(
      `SELECT arn, name, account_id, function_count AS n, worst_score AS worst, policy_count AS policies, has_boundary, functions AS fns
         FROM role_summaries WHERE ${where}
        ORDER BY function_count DESC, worst_score DESC NULLS LAST, name, arn
        LIMIT $4 OFFSET $5`,
      [...params, pageSize, (page - 1) * pageSize],
    ),
  ]);
  const total = Number(counted?.total ?? 0);
  const severityFor = (score: number | null): Severity | null => (score === null ? null : severityForScore(score));
  return {
    rows: rows.map<RoleRow>((r) => ({
      arn: r.arn,
      name: r.name,
      accountId: r.account_id,
      functionCount: r.n,
      worstScore: r.worst === null ? null : Number(r.worst),
      worstSeverity: severityFor(r.worst === null ? null : Number(r.worst)),
      policyCount: Number(r.policies),
      hasBoundary: r.has_boundary,
      functions: r.fns,
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}
