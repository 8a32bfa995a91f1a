/**
 * The JSON report (schemaVersion 1, schemas/report.schema.json), read from a stored scan.
 * Shared by `saltzer report`, `saltzer scan --format json` and the dashboard's export.
 */
import { joinBlastRadius } from "@/lib/store/scan-rows";
import type { Database } from "@/lib/store/db";
import type { BlastRadius, RecommendedPolicy, RiskScore, Severity, StatementRef, EscalationPath } from "@/lib/analysis/types";
import type { EnvironmentVariable, FunctionUrl, InlinePolicy, PolicyDocument } from "@/lib/snapshot/types";

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportPolicy {
  name: string;
  arn: string | null;
  kind: "inline" | "customer-managed" | "aws-managed";
  document: PolicyDocument | null;
}

export interface ReportFunction {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  runtime: string | null;
  roleArn: string;
  handler: string | null;
  packageType: string;
  environment: { name: string; looksSecret: boolean; secretReason: string | null }[];
  policies: ReportPolicy[];
  permissionsBoundary: ReportPolicy | null;
  resourcePolicy: PolicyDocument | null;
  urls: FunctionUrl[];
  eventSources: { uuid: string; eventSourceArn: string | null; state: string | null; batchSize: number | null }[];
  isPublic: boolean;
  sharedRole: boolean;
  /** 0–100; null when the scan was stored without analysis. */
  riskScore: number | null;
  severity: Severity | null;
  risk: RiskScore | null;
  findings: ReportFinding[];
  blastRadius: BlastRadius | null;
  recommendedPolicy: RecommendedPolicy | null;
}

export interface ReportFinding {
  ruleId: string;
  category: string;
  severity: Severity;
  title: string;
  reason: string;
  fingerprint: string;
  suppressed: boolean;
  suppression: { reason: string; expiresAt: string | null } | null;
  statements: StatementRef[];
  actions: string[];
  resources: string[];
  escalation: EscalationPath | null;
}

export interface JsonReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: { name: "saltzer"; version: string };
  generatedAt: string;
  scan: {
    id: number;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    source: { kind: string; location: string };
    organizationId: string | null;
    accounts: { accountId: string; name: string | null; regions: string[] }[];
    gaps: unknown[];
  };
  summary: {
    accounts: number;
    functions: number;
    publicFunctions: number;
    functionsWithSecrets: number;
    functionsBySeverity: Record<Severity, number>;
    findingsBySeverity: Record<Severity, number>;
    suppressedFindings: number;
  };
  functions: ReportFunction[];
}

/** The newest scan that finished with data (succeeded or partial). */
export async function latestCompleteScanId(db: Database): Promise<number | null> {
  const scan = await db.prisma.scan.findFirst({
    where: { status: { in: ["succeeded", "partial"] } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return scan?.id ?? null;
}

export async function buildJsonReport(db: Database, scanId: number, version = "0.1.0"): Promise<JsonReport> {
  const scan = await db.prisma.scan.findUnique({ where: { id: scanId } });
  if (!scan) throw new Error(`Scan ${scanId} does not exist.`);
  if (scan.status !== "succeeded" && scan.status !== "partial") {
    throw new Error(`Scan ${scanId} is ${scan.status}${scan.error ? `: ${scan.error}` : ""}; only a succeeded or partial scan has a report.`);
  }
  const [accounts, functions, roles, policies, mappings, findings, suppressions, permissionSets] = await Promise.all([
    db.prisma.account.findMany({ where: { scanId }, orderBy: { accountId: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where: { scanId }, orderBy: [{ accountId: "asc" }, { region: "asc" }, { name: "asc" }] }),
    db.prisma.role.findMany({ where: { scanId } }),
    db.prisma.managedPolicy.findMany({ where: { scanId } }),
    db.prisma.eventSourceMapping.findMany({ where: { scanId }, orderBy: { uuid: "asc" } }),
    db.prisma.finding.findMany({ where: { scanId }, orderBy: { id: "asc" } }),
    db.prisma.suppression.findMany({ where: { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } }),
    db.prisma.permissionSet.findMany({ where: { scanId } }),
  ]);
  const permissionSetByKey = new Map(permissionSets.map((p) => [p.permissionsKey, p]));
  const suppressionByFingerprint = new Map(suppressions.map((x) => [x.fingerprint, x]));
  const findingsByFunction = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const details = f.details as unknown as { statements: StatementRef[]; actions: string[]; resources: string[]; escalation: EscalationPath | null };
    const suppression = suppressionByFingerprint.get(f.fingerprint);
    const entry: ReportFinding = {
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity as Severity,
      title: f.title,
      reason: f.reason,
      fingerprint: f.fingerprint,
      suppressed: suppression !== undefined,
      suppression: suppression ? { reason: suppression.reason, expiresAt: suppression.expiresAt?.toISOString() ?? null } : null,
      statements: details.statements,
      actions: details.actions,
      resources: details.resources,
      escalation: details.escalation ?? null,
    };
    findingsByFunction.set(f.functionArn, [...(findingsByFunction.get(f.functionArn) ?? []), entry]);
  }
  const rolesByArn = new Map(roles.map((r) => [r.arn, r]));
  const policyByKey = new Map(policies.map((p) => [`${p.accountId}|${p.arn}`, p]));
  const mappingsByFunction = new Map<string, typeof mappings>();
  for (const m of mappings) mappingsByFunction.set(m.functionArn, [...(mappingsByFunction.get(m.functionArn) ?? []), m]);

  const managed = (accountId: string, arn: string): ReportPolicy => {
    const p = policyByKey.get(`${accountId}|${arn}`);
    const awsManaged = arn.startsWith("arn:aws:iam::aws:policy/");
    return {
      name: p?.name ?? arn.split("/").pop() ?? arn,
      arn,
      kind: awsManaged ? "aws-managed" : "customer-managed",
      document: (p?.document as unknown as PolicyDocument) ?? null,
    };
  };

  const reportFunctions: ReportFunction[] = functions.map((fn) => {
    const role = rolesByArn.get(fn.roleArn);
    const inline = ((role?.inlinePolicies ?? []) as unknown as InlinePolicy[]).map<ReportPolicy>((p) => ({
      name: p.name,
      arn: null,
      kind: "inline",
      document: p.document,
    }));
    const attached = ((role?.attachedPolicyArns ?? []) as unknown as string[]).map((arn) => managed(fn.accountId, arn));
    return {
      arn: fn.arn,
      name: fn.name,
      accountId: fn.accountId,
      region: fn.region,
      runtime: fn.runtime,
      roleArn: fn.roleArn,
      handler: fn.handler,
      packageType: fn.packageType,
      environment: (fn.environment as unknown as EnvironmentVariable[]).map((v) => ({
        name: v.name,
        looksSecret: v.looksSecret,
        secretReason: v.secretReason,
      })),
      policies: [...inline, ...attached],
      permissionsBoundary: role?.permissionsBoundaryArn ? managed(fn.accountId, role.permissionsBoundaryArn) : null,
      resourcePolicy: (fn.resourcePolicy as unknown as PolicyDocument | null) ?? null,
      urls: fn.urls as unknown as FunctionUrl[],
      eventSources: (mappingsByFunction.get(fn.arn) ?? []).map((m) => ({
        uuid: m.uuid,
        eventSourceArn: m.eventSourceArn,
        state: m.state,
        batchSize: m.batchSize,
      })),
      isPublic: fn.isPublic,
      sharedRole: fn.hasSharedRole,
      riskScore: fn.riskScore,
      severity: (fn.severity as Severity | null) ?? null,
      risk: (fn.risk as unknown as RiskScore | null) ?? null,
      findings: findingsByFunction.get(fn.arn) ?? [],
      blastRadius: joinBlastRadius(fn.blastRadius, fn.permissionsKey ? permissionSetByKey.get(fn.permissionsKey) : null),
      recommendedPolicy: (fn.recommendedPolicy as unknown as RecommendedPolicy | null) ?? null,
    };
  });
  const countBy = <T,>(items: T[], key: (t: T) => Severity | null): Record<Severity, number> => {
    const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const item of items) {
      const k = key(item);
      if (k) out[k] += 1;
    }
    return out;
  };
  const activeFindings = reportFunctions.flatMap((f) => f.findings.filter((x) => !x.suppressed));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: "saltzer", version },
    generatedAt: new Date().toISOString(),
    scan: {
      id: scan.id,
      status: scan.status,
      startedAt: scan.startedAt.toISOString(),
      finishedAt: scan.finishedAt?.toISOString() ?? null,
      source: { kind: scan.sourceKind, location: scan.sourceLocation },
      organizationId: scan.organizationId,
      accounts: accounts.map((a) => ({ accountId: a.accountId, name: a.name, regions: a.regions as unknown as string[] })),
      gaps: scan.gaps as unknown as unknown[],
    },
    summary: {
      accounts: accounts.length,
      functions: reportFunctions.length,
      publicFunctions: reportFunctions.filter((f) => f.isPublic).length,
      functionsWithSecrets: functions.filter((f) => f.hasSecrets).length,
      functionsBySeverity: countBy(reportFunctions, (f) => f.severity),
      findingsBySeverity: countBy(activeFindings, (f) => f.severity),
      suppressedFindings: findings.length - activeFindings.length,
    },
    functions: reportFunctions,
  };
}
