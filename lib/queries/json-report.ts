/**
 * The JSON report (lib/report/build-json-report.ts) read from a stored scan through the scan view
 * and the one view filter: `saltzer report`, `saltzer scan --format`, and the dashboard's
 * "Export this view" all call `buildJsonReport`, so every export holds exactly what the view lists.
 */
import { z } from "zod";
import type { BlastRadius, EscalationPath, RecommendedPolicy, RiskScore, Severity, StatementRef } from "@/lib/analysis/types";
import type { EnvironmentVariable, FunctionUrl, InlinePolicy, PolicyDocument } from "@/lib/snapshot/types";
import type { Database } from "@/lib/store/db";
import { joinBlastRadius } from "@/lib/store/scan-rows";
import { REPORT_SCHEMA_VERSION, type JsonReport, type ReportFinding, type ReportFunction, type ReportPolicy } from "@/lib/report/build-json-report";
import { blastRadiusInAwsCase, findingInAwsCase, riskInAwsCase } from "./action-names";
import { roleRecommendations } from "./role-recommendation";
import { loadScanView, shownRisk, type ViewFinding, type ViewFunction } from "./scan-view";
import type { SuppressionEntry } from "./suppressions";
import { applyViewFilter, type ViewFilter } from "./view-filter";
import { attachedPolicyKind } from "@/lib/snapshot/aws-managed-policy-arn";

/** The newest scan that finished with data (succeeded or partial). */
export async function latestCompleteScanId(db: Database): Promise<number | null> {
  const scan = await db.prisma.scan.findFirst({ where: { status: { in: ["succeeded", "partial"] } }, orderBy: { id: "desc" }, select: { id: true } });
  return scan?.id ?? null;
}

/** A finding's `details` column, validated. */
const findingDetailsCodec = z.object({
  statements: z.array(z.custom<StatementRef>((v) => typeof v === "object" && v !== null)),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
  escalation: z.custom<EscalationPath>((v) => typeof v === "object").nullable().optional(),
});
const stringList = z.array(z.string());

export interface ReportOptions {
  filter?: ViewFilter;
  /** Suppressions from a `--suppressions FILE`, applied with the stored ones. */
  extraSuppressions?: SuppressionEntry[];
  version?: string;
  now?: Date;
}

const withAwsCase = (risk: RiskScore | null): RiskScore | null => (risk ? riskInAwsCase(risk) : null);
const shownBlastRadius = (br: BlastRadius | null): BlastRadius | null => (br ? blastRadiusInAwsCase(br) : null);

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** The report of a stored scan, narrowed by the view filter. */
export async function buildJsonReport(db: Database, scanId: number, options: ReportOptions = {}): Promise<JsonReport> {
  const filter = options.filter ?? {};
  const scan = await db.prisma.scan.findUnique({ where: { id: scanId } });
  if (!scan) throw new Error(`Scan ${scanId} does not exist.`);
  if (scan.status !== "succeeded" && scan.status !== "partial") {
    throw new Error(`Scan ${scanId} is ${scan.status}${scan.error ? `: ${scan.error}` : ""}; only a succeeded or partial scan has a report.`);
  }
  const view = await loadScanView(db, scanId, { extraSuppressions: options.extraSuppressions, now: options.now, search: Boolean(filter.q?.trim()) });
  const selected = applyViewFilter(view.functions, filter);
  const arns = selected.map((f) => f.arn);
  const [accounts, functions, roles, policies, mappings, findingDetails, permissionSets, recommendations] = await Promise.all([
    db.prisma.account.findMany({ where: { scanId }, orderBy: { accountId: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where: { scanId, arn: { in: arns } } }),
    db.prisma.role.findMany({ where: { scanId } }),
    db.prisma.managedPolicy.findMany({ where: { scanId } }),
    db.prisma.eventSourceMapping.findMany({ where: { scanId, functionArn: { in: arns } }, orderBy: { uuid: "asc" } }),
    db.prisma.finding.findMany({ where: { scanId, functionArn: { in: arns } }, select: { id: true, details: true } }),
    db.prisma.permissionSet.findMany({ where: { scanId } }),
    roleRecommendations(db, scanId),
  ]);
  const rowByArn = new Map(functions.map((f) => [f.arn, f]));
  const detailsById = new Map(findingDetails.map((f) => [f.id, findingDetailsCodec.parse(f.details)]));
  const permissionSetByKey = new Map(permissionSets.map((p) => [p.permissionsKey, p]));
  const rolesByArn = new Map(roles.map((r) => [r.arn, r]));
  const policyByKey = new Map(policies.map((p) => [`${p.accountId}|${p.arn}`, p]));
  const mappingsByFunction = new Map<string, typeof mappings>();
  for (const m of mappings) mappingsByFunction.set(m.functionArn, [...(mappingsByFunction.get(m.functionArn) ?? []), m]);

  const managed = (accountId: string, arn: string): ReportPolicy => {
    const p = policyByKey.get(`${accountId}|${arn}`);
    return {
      name: p?.name ?? arn.split("/").pop() ?? arn,
      arn,
      kind: attachedPolicyKind(arn),
      document: (p?.document as PolicyDocument | undefined) ?? null,
    };
  };
  const reportFinding = (f: ViewFinding): ReportFinding => {
    const details = f.id !== null ? detailsById.get(f.id) : undefined;
    return findingInAwsCase({
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      title: f.title,
      reason: f.reason,
      fingerprint: f.fingerprint,
      suppressed: f.suppressed,
      suppression: f.suppression ? { reason: f.suppression.reason, expiresAt: f.suppression.expiresAt, createdBy: f.suppression.createdBy, createdAt: f.suppression.createdAt } : null,
      expiredSuppression: f.expiredSuppression ? { reason: f.expiredSuppression.reason, expiresAt: f.expiredSuppression.expiresAt, createdBy: f.expiredSuppression.createdBy, createdAt: f.expiredSuppression.createdAt } : null,
      statements: details?.statements ?? [],
      actions: details?.actions ?? [],
      resources: details?.resources ?? [],
      escalation: details?.escalation ?? null,
    });
  };
  const reportFunction = (v: ViewFunction): ReportFunction => {
    const fn = rowByArn.get(v.arn);
    if (!fn) throw new Error(`Function ${v.arn} of scan ${scanId} disappeared while the report was read.`);
    const role = rolesByArn.get(fn.roleArn);
    const inline = ((role?.inlinePolicies ?? []) as unknown as InlinePolicy[]).map<ReportPolicy>((p) => ({ name: p.name, arn: null, kind: "inline", document: p.document }));
    const attached = stringList.parse(role?.attachedPolicyArns ?? []).map((arn) => managed(fn.accountId, arn));
    return {
      arn: fn.arn,
      name: fn.name,
      accountId: fn.accountId,
      region: fn.region,
      runtime: fn.runtime,
      roleArn: fn.roleArn,
      handler: fn.handler,
      packageType: fn.packageType,
      environment: (fn.environment as unknown as EnvironmentVariable[]).map((e) => ({ name: e.name, looksSecret: e.looksSecret, secretReason: e.secretReason })),
      policies: [...inline, ...attached],
      permissionsBoundary: role?.permissionsBoundaryArn ? managed(fn.accountId, role.permissionsBoundaryArn) : null,
      resourcePolicy: (fn.resourcePolicy as PolicyDocument | null) ?? null,
      urls: fn.urls as unknown as FunctionUrl[],
      eventSources: (mappingsByFunction.get(fn.arn) ?? []).map((m) => ({ uuid: m.uuid, eventSourceArn: m.eventSourceArn, state: m.state, batchSize: m.batchSize })),
      isPublic: v.isPublic,
      sharedRole: v.sharedRole,
      incomplete: v.incomplete,
      riskScore: v.riskScore,
      severity: v.severity,
      risk: withAwsCase(shownRisk(v, fn.risk)),
      findings: v.findings.map(reportFinding),
      blastRadius: shownBlastRadius(joinBlastRadius(fn.blastRadius, fn.permissionsKey ? permissionSetByKey.get(fn.permissionsKey) : null) as BlastRadius | null),
      // The role's recommendation (one per role); scans stored before that kept one per function.
      recommendedPolicy: recommendations.get(fn.roleArn)?.policy ?? (fn.recommendedPolicy as RecommendedPolicy | null) ?? null,
    };
  };
  const reportFunctions = selected.map(reportFunction);

  const functionsBySeverity = emptyCounts();
  for (const f of reportFunctions) if (f.severity) functionsBySeverity[f.severity] += 1;
  const findingsBySeverity = emptyCounts();
  for (const f of reportFunctions) for (const x of f.findings) if (!x.suppressed) findingsBySeverity[x.severity] += 1;
  // Suppressed findings the same filter would show with `suppressed: "only"` (see view-filter.ts).
  const suppressedFindings = applyViewFilter(view.functions, { ...filter, suppressed: "only" }).reduce((n, f) => n + f.findings.length, 0);
  const reportAccounts = filter.account ? accounts.filter((a) => a.accountId === filter.account) : accounts;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: "saltzer", version: options.version ?? "0.1.0" },
    generatedAt: new Date().toISOString(),
    scan: {
      id: scan.id,
      status: scan.status,
      startedAt: scan.startedAt.toISOString(),
      finishedAt: scan.finishedAt?.toISOString() ?? null,
      source: { kind: scan.sourceKind, location: scan.sourceLocation },
      organizationId: scan.organizationId,
      accounts: reportAccounts.map((a) => ({ accountId: a.accountId, name: a.name, regions: stringList.parse(a.regions) })),
      gaps: scan.gaps as unknown[],
    },
    filter,
    summary: {
      accounts: reportAccounts.length,
      functions: reportFunctions.length,
      publicFunctions: reportFunctions.filter((f) => f.isPublic).length,
      functionsWithSecrets: reportFunctions.filter((f) => f.environment.some((e) => e.looksSecret)).length,
      functionsBySeverity,
      findingsBySeverity,
      suppressedFindings,
      incompleteFunctions: reportFunctions.filter((f) => f.incomplete.length > 0).length,
    },
    functions: reportFunctions,
  };
}
