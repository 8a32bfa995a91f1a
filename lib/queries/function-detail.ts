import "server-only";
import type { FunctionUrl, PolicyDocument } from "@/lib/snapshot/types";
import type { BlastRadius, EscalationPath, RecommendedPolicy, RiskScore, Severity, StatementRef } from "@/lib/analysis/types";
import { decodeBlastRadius, decodePermissionSet } from "@/lib/store/codecs/blast-radius";
import { environmentCodec } from "@/lib/store/codecs/environment";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { functionUrlsCodec } from "@/lib/store/codecs/function-urls";
import { incompleteCodec } from "@/lib/store/codecs/incomplete";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec, resourcePolicyCodec, trustPolicyCodec } from "@/lib/store/codecs/policy-document";
import { recommendedPolicyCodec } from "@/lib/store/codecs/recommended-policy";
import { riskCodec } from "@/lib/store/codecs/risk";
import { attachedPolicyArnsCodec, layersCodec } from "@/lib/store/codecs/string-list";
import { vpcCodec } from "@/lib/store/codecs/vpc";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { getDb } from "@/lib/server/db";
import { viewFunction, type ViewSuppression } from "./scan-view";
import { loadSuppressionMatcher } from "./suppressions";

export interface PolicyView {
  name: string;
  arn: string | null;
  kind: "inline" | "customer-managed" | "aws-managed" | "boundary";
  document: PolicyDocument | null;
  /** Statement indexes some finding cites (highlighted). */
  flaggedStatements: number[];
}

export interface FindingView {
  id: number;
  ruleId: string;
  category: string;
  severity: Severity;
  title: string;
  reason: string;
  remediation: string | null;
  references: string[];
  fingerprint: string;
  statements: StatementRef[];
  actions: string[];
  resources: string[];
  escalation: EscalationPath | null;
  suppression: ViewSuppression | null;
  /** A suppression that matched but expired: it no longer applies, and the page says so. */
  expiredSuppression: ViewSuppression | null;
}

export interface FunctionDetail {
  scanId: number;
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  region: string;
  runtime: string | null;
  handler: string | null;
  packageType: string;
  memorySize: number | null;
  timeout: number | null;
  lastModified: string | null;
  logGroup: string;
  tracingMode: string | null;
  kmsKeyArn: string | null;
  deadLetterTargetArn: string | null;
  vpc: { subnetIds: string[]; securityGroupIds: string[]; vpcId: string | null } | null;
  layers: string[];
  environment: { name: string; looksSecret: boolean; secretReason: string | null }[];
  role: { arn: string; name: string; trustPolicy: PolicyDocument | null; sharedWith: { arn: string; name: string }[] };
  policies: PolicyView[];
  resourcePolicy: PolicyDocument | null;
  urls: FunctionUrl[];
  eventSources: { uuid: string; eventSourceArn: string | null; state: string | null; batchSize: number | null }[];
  isPublic: boolean;
  /** Reads the scan could not make for this function's inputs. */
  incomplete: { api: string; reason: string }[];
  riskScore: number | null;
  severity: Severity | null;
  risk: RiskScore | null;
  findings: FindingView[];
  blastRadius: BlastRadius | null;
  recommendedPolicy: RecommendedPolicy | null;
  reachedNames: Record<string, string>;
}

export async function getFunctionDetail(scanId: number, arn: string): Promise<FunctionDetail | null> {
  const db = await getDb();
  const fn = await db.prisma.lambdaFunction.findUnique({ where: { scanId_arn: { scanId, arn } } });
  if (!fn) return null;
  // A corrupted JSON column fails here, naming the scan, table, column and row.
  const ref = { scanId, key: fn.arn };
  const [role, account, mappings, siblings, findingRows, suppressions] = await Promise.all([
    db.prisma.role.findUnique({ where: { scanId_arn: { scanId, arn: fn.roleArn } } }),
    db.prisma.account.findUnique({ where: { scanId_accountId: { scanId, accountId: fn.accountId } }, select: { name: true } }),
    db.prisma.eventSourceMapping.findMany({ where: { scanId, functionArn: arn }, orderBy: { uuid: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where: { scanId, roleArn: fn.roleArn, NOT: { arn } }, select: { arn: true, name: true }, orderBy: { name: "asc" } }),
    db.prisma.finding.findMany({ where: { scanId, functionArn: arn }, orderBy: { id: "asc" } }),
    loadSuppressionMatcher(db),
  ]);
  // The verdicts shown (severity, public, suppression state) come from the one derivation every surface uses.
  const verdicts = viewFunction(
    {
      arn: fn.arn,
      name: fn.name,
      accountId: fn.accountId,
      accountName: account?.name ?? null,
      region: fn.region,
      runtime: fn.runtime,
      roleArn: fn.roleArn,
      policyCount: fn.policyCount,
      hasSecrets: fn.hasSecrets,
      sharedRole: fn.hasSharedRole,
      riskScore: fn.riskScore,
      incomplete: incompleteCodec.decode(fn.incomplete, ref),
    },
    findingRows.map((f) => ({ id: f.id, ruleId: f.ruleId, category: f.category, severity: f.severity as Severity, title: f.title, reason: f.reason, fingerprint: f.fingerprint })),
    suppressions,
  );
  const verdictById = new Map(verdicts.findings.map((f) => [f.id, f]));
  const catalogue = new Map(RULE_CATALOGUE.map((r) => [r.id, r]));
  const findings: FindingView[] = findingRows.map((f) => {
    const details = findingDetailsCodec.decode(f.details, { scanId, key: f.id });
    const rule = catalogue.get(f.ruleId);
    const verdict = verdictById.get(f.id);
    return {
      id: f.id,
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity as Severity,
      title: f.title,
      reason: f.reason,
      remediation: rule?.remediation ?? null,
      references: rule?.references ?? [],
      fingerprint: f.fingerprint,
      statements: details.statements,
      actions: details.actions,
      resources: details.resources,
      escalation: details.escalation ?? null,
      suppression: verdict?.suppression ?? null,
      expiredSuppression: verdict?.expiredSuppression ?? null,
    };
  });
  const flagged = (kind: PolicyView["kind"], name: string) =>
    [...new Set(findings.flatMap((f) => f.statements.filter((s) => s.policyName === name && (s.kind === kind || (kind === "boundary" && s.kind === "boundary"))).map((s) => s.statementIndex)))];
  const permissionSet = fn.permissionsKey ? await db.prisma.permissionSet.findUnique({ where: { scanId_permissionsKey: { scanId, permissionsKey: fn.permissionsKey } } }) : null;
  const blastRadius = decodeBlastRadius(fn.blastRadius, permissionSet ? decodePermissionSet(permissionSet, scanId) : null, ref);
  const reachedArns = [...(blastRadius?.reachableFunctions.map((r) => r.arn) ?? [])];
  const reached = reachedArns.length
    ? await db.prisma.lambdaFunction.findMany({ where: { scanId, arn: { in: reachedArns } }, select: { arn: true, name: true } })
    : [];
  const roleRef = { scanId, key: fn.roleArn };
  const attached = role ? attachedPolicyArnsCodec.decode(role.attachedPolicyArns, roleRef) : [];
  const boundaryArn = role?.permissionsBoundaryArn ?? null;
  const managedArns = [...attached, ...(boundaryArn ? [boundaryArn] : [])];
  const managed = await db.prisma.managedPolicy.findMany({ where: { scanId, accountId: fn.accountId, arn: { in: managedArns } } });
  const managedByArn = new Map(managed.map((p) => [p.arn, p]));
  const view = (policyArn: string, kind: PolicyView["kind"]): PolicyView => {
    const p = managedByArn.get(policyArn);
    const name = p?.name ?? policyArn.split("/").pop() ?? policyArn;
    return { name, arn: policyArn, kind, document: p ? managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) : null, flaggedStatements: flagged(kind, name) };
  };
  const policies: PolicyView[] = [
    ...(role ? inlinePoliciesCodec.decode(role.inlinePolicies, roleRef) : []).map((p) => ({ name: p.name, arn: null, kind: "inline" as const, document: p.document, flaggedStatements: flagged("inline", p.name) })),
    ...attached.map((a) => view(a, a.startsWith("arn:aws:iam::aws:policy/") ? "aws-managed" : "customer-managed")),
    ...(boundaryArn ? [view(boundaryArn, "boundary")] : []),
  ];
  return {
    scanId,
    arn: fn.arn,
    name: fn.name,
    accountId: fn.accountId,
    accountName: account?.name ?? null,
    region: fn.region,
    runtime: fn.runtime,
    handler: fn.handler,
    packageType: fn.packageType,
    memorySize: fn.memorySize,
    timeout: fn.timeout,
    lastModified: fn.lastModified,
    logGroup: fn.logGroup,
    tracingMode: fn.tracingMode,
    kmsKeyArn: fn.kmsKeyArn,
    deadLetterTargetArn: fn.deadLetterTargetArn,
    vpc: vpcCodec.decode(fn.vpc, ref),
    layers: layersCodec.decode(fn.layers, ref),
    environment: environmentCodec.decode(fn.environment, ref).map((v) => ({ name: v.name, looksSecret: v.looksSecret, secretReason: v.secretReason })),
    role: {
      arn: fn.roleArn,
      name: fn.roleArn.split("/").pop() ?? fn.roleArn,
      trustPolicy: role ? trustPolicyCodec.decode(role.assumeRolePolicy, roleRef) : null,
      sharedWith: siblings,
    },
    policies,
    resourcePolicy: resourcePolicyCodec.decode(fn.resourcePolicy, ref) ?? null,
    urls: functionUrlsCodec.decode(fn.urls, ref),
    eventSources: mappings.map((m) => ({ uuid: m.uuid, eventSourceArn: m.eventSourceArn, state: m.state, batchSize: m.batchSize })),
    isPublic: verdicts.isPublic,
    incomplete: verdicts.incomplete,
    riskScore: fn.riskScore,
    severity: verdicts.severity,
    risk: riskCodec.decode(fn.risk, ref) ?? null,
    findings,
    blastRadius,
    recommendedPolicy: recommendedPolicyCodec.decode(fn.recommendedPolicy, ref) ?? null,
    reachedNames: Object.fromEntries(reached.map((r) => [r.arn, r.name])),
  };
}

/** The account of a function in a scan, or null when it is not there. */
export async function functionAccount(scanId: number, arn: string): Promise<string | null> {
  const db = await getDb();
  const fn = await db.prisma.lambdaFunction.findUnique({ where: { scanId_arn: { scanId, arn } }, select: { accountId: true } });
  return fn?.accountId ?? null;
}
