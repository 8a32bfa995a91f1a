/**
 * The recommended policy of an execution role, as the analysis stored it (one per role, covering
 * every function of the role). The function page, the role page and every report read it here.
 * No `server-only`: the reports (CLI) read it too.
 */
import { z } from "zod";
import type { RecommendedPolicy } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { FUNCTION_OF_SCAN_SQL, ROLE_RECOMMENDATIONS_SQL } from "@/lib/store/shared-rows";

/** The stored policy column, validated (its shape is lib/analysis/types.ts RecommendedPolicy). */
const recommendedPolicyCodec = z.object({
  document: z.object({ Version: z.string().optional(), Statement: z.array(z.record(z.string(), z.unknown())) }).passthrough(),
  confidence: z.enum(["usage-data", "configuration-only"]),
  notes: z.array(z.string()),
  diff: z.string(),
  removedActions: z.array(z.string()),
  removedActionCount: z.number(),
});

export function decodeRecommendedPolicy(value: unknown): RecommendedPolicy | null {
  if (value === null || value === undefined) return null;
  return recommendedPolicyCodec.parse(typeof value === "string" ? JSON.parse(value) : value) as unknown as RecommendedPolicy;
}

export interface RoleRecommendation {
  roleArn: string;
  /** How many functions the policy covers (all of the role's). */
  functionCount: number;
  policy: RecommendedPolicy;
}

/** Every stored role recommendation of a scan (or of the given roles), by role ARN. */
export async function roleRecommendations(db: Database, scanId: number, roleArns?: string[]): Promise<Map<string, RoleRecommendation>> {
  const arns = roleArns ?? (await db.query<{ role_arn: string }>(`SELECT DISTINCT role_arn FROM function_verdicts WHERE scan_id = $1`, [scanId])).map((r) => r.role_arn);
  const rows = await db.query<{ role_arn: string; function_count: number; policy: unknown }>(`SELECT role_arn, function_count, policy FROM ${ROLE_RECOMMENDATIONS_SQL("$1", "$2")} r`, [scanId, arns]);
  return new Map(rows.map((r) => [r.role_arn, { roleArn: r.role_arn, functionCount: Number(r.function_count), policy: decodeRecommendedPolicy(r.policy)! }]));
}

/**
 * One role's recommendation. Scans stored before recommendations were per role kept one per
 * function: for those, the policy of the role's first function (and `functionCount` 1, as it covered one).
 */
export async function roleRecommendation(db: Database, scanId: number, roleArn: string): Promise<RoleRecommendation | null> {
  const stored = (await roleRecommendations(db, scanId, [roleArn])).get(roleArn);
  if (stored) return stored;
  const [legacy] = await db.query<{ recommended_policy: unknown }>(
    `SELECT f.recommended_policy FROM functions f WHERE ${FUNCTION_OF_SCAN_SQL("f", "$1", "v.role_arn = $2")} AND f.recommended_policy IS NOT NULL ORDER BY f.name, f.arn LIMIT 1`,
    [scanId, roleArn],
  );
  const policy = decodeRecommendedPolicy(legacy?.recommended_policy ?? null);
  return policy ? { roleArn, functionCount: 1, policy } : null;
}
