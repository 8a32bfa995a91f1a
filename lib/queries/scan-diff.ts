import "server-only";
import type { Severity } from "@/lib/analysis/types";
import { getDb } from "@/lib/server/db";

export interface ScanDiff {
  from: number;
  to: number;
  newFindings: DiffFinding[];
  resolvedFindings: DiffFinding[];
  riskRose: { arn: string; name: string; before: number; after: number }[];
  newPublic: { arn: string; name: string }[];
  addedFunctions: number;
  removedFunctions: number;
}

export interface DiffFinding {
  functionArn: string;
  functionName: string;
  ruleId: string;
  severity: Severity;
  title: string;
}

/** What changed from scan `from` to scan `to`: findings matched by fingerprint, functions by ARN. */
export async function diffScans(from: number, to: number, limit = 200): Promise<ScanDiff> {
  const db = await getDb();
  const newFindings = await db.query<{ function_arn: string; rule_id: string; severity: Severity; title: string }>(
    `SELECT f.function_arn, f.rule_id, f.severity, f.title FROM findings f
      WHERE f.scan_id = $2 AND NOT EXISTS (SELECT 1 FROM findings o WHERE o.scan_id = $1 AND o.fingerprint = f.fingerprint)
      ORDER BY array_position(ARRAY['critical','high','medium','low','info'], f.severity), f.function_arn LIMIT $3`,
    [from, to, limit],
  );
  const resolved = await db.query<{ function_arn: string; rule_id: string; severity: Severity; title: string }>(
    `SELECT f.function_arn, f.rule_id, f.severity, f.title FROM findings f
      WHERE f.scan_id = $1 AND NOT EXISTS (SELECT 1 FROM findings o WHERE o.scan_id = $2 AND o.fingerprint = f.fingerprint)
      ORDER BY array_position(ARRAY['critical','high','medium','low','info'], f.severity), f.function_arn LIMIT $3`,
    [from, to, limit],
  );
  const rose = await db.query<{ arn: string; name: string; before: number; after: number }>(
    `SELECT n.arn, n.name, o.risk_score AS before, n.risk_score AS after FROM functions n JOIN functions o ON o.arn = n.arn AND o.scan_id = $1
      WHERE n.scan_id = $2 AND n.risk_score > o.risk_score ORDER BY n.risk_score - o.risk_score DESC LIMIT $3`,
    [from, to, limit],
  );
  const newPublic = await db.query<{ arn: string; name: string }>(
    `SELECT n.arn, n.name FROM functions n LEFT JOIN functions o ON o.arn = n.arn AND o.scan_id = $1
      WHERE n.scan_id = $2 AND n.is_public AND (o.arn IS NULL OR NOT o.is_public) ORDER BY n.name LIMIT $3`,
    [from, to, limit],
  );
  const [counts] = await db.query<{ added: number; removed: number }>(
    `SELECT (SELECT count(*)::int FROM functions n WHERE n.scan_id = $2 AND NOT EXISTS (SELECT 1 FROM functions o WHERE o.scan_id = $1 AND o.arn = n.arn)) AS added,
            (SELECT count(*)::int FROM functions o WHERE o.scan_id = $1 AND NOT EXISTS (SELECT 1 FROM functions n WHERE n.scan_id = $2 AND n.arn = o.arn)) AS removed`,
    [from, to],
  );
  const name = (arn: string) => arn.split(":").pop() ?? arn;
  const toDiff = (r: { function_arn: string; rule_id: string; severity: Severity; title: string }): DiffFinding => ({
    functionArn: r.function_arn,
    functionName: name(r.function_arn),
    ruleId: r.rule_id,
    severity: r.severity,
    title: r.title,
  });
  return {
    from,
    to,
    newFindings: newFindings.map(toDiff),
    resolvedFindings: resolved.map(toDiff),
    riskRose: rose.map((r) => ({ ...r, before: Number(r.before), after: Number(r.after) })),
    newPublic,
    addedFunctions: counts.added,
    removedFunctions: counts.removed,
  };
}

/** The complete scan before this one, if any. */
export async function previousScanId(scanId: number): Promise<number | null> {
  const db = await getDb();
  const previous = await db.prisma.scan.findFirst({ where: { id: { lt: scanId }, status: { in: ["succeeded", "partial"] } }, orderBy: { id: "desc" }, select: { id: true } });
  return previous?.id ?? null;
}
