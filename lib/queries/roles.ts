import "server-only";
import type { Severity } from "@/lib/analysis/types";
import { getDb } from "@/lib/server/db";
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

/** Roles that execute functions, shared ones first, with their functions (grouped in SQL). */
export async function listRoles(scanId: number, options: { q?: string; sharedOnly?: boolean; page?: number; pageSize?: number }) {
  const db = await getDb();
  // The narrow verdict copies (filled for an older scan on first read): grouping reads them, not every full row.
  await readScanAggregates(db, scanId);
  const pageSize = options.pageSize ?? 50;
  const page = Math.max(1, options.page ?? 1);
  const q = options.q?.trim() ? `%${options.q.trim().toLowerCase()}%` : null;
  const rows = await db.query<{ arn: string; name: string; account_id: string; n: number; worst: number | null; policies: number; boundary: string | null; fns: { arn: string; name: string }[]; total: number }>(
    `WITH per_role AS (
       SELECT f.role_arn, count(*)::int AS n, max(f.risk_score) AS worst,
              json_agg(json_build_object('arn', f.arn, 'name', f.name) ORDER BY f.name) AS fns
         FROM function_verdicts f WHERE f.scan_id = $1 GROUP BY f.role_arn)
     SELECT r.arn, r.name, r.account_id, p.n, p.worst, jsonb_array_length(r.attached_policy_arns) + jsonb_array_length(r.inline_policies) AS policies,
            r.permissions_boundary_arn AS boundary, p.fns, count(*) OVER ()::int AS total
       FROM roles r JOIN per_role p ON p.role_arn = r.arn
      WHERE r.scan_id = $1 AND ($2::text IS NULL OR lower(r.arn) LIKE $2) AND (NOT $3 OR p.n > 1)
      ORDER BY p.n DESC, p.worst DESC NULLS LAST, r.name
      LIMIT $4 OFFSET $5`,
    [scanId, q, options.sharedOnly ?? false, pageSize, (page - 1) * pageSize],
  );
  const total = rows[0]?.total ?? 0;
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
      hasBoundary: r.boundary !== null,
      functions: r.fns,
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}
