import "server-only";
import type { FunctionUrl, PolicyDocument } from "@/lib/snapshot/types";
import type { BlastRadius, EscalationPath, RecommendedPolicy, RiskScore, Severity, StatementRef } from "@/lib/analysis/types";
import { decodeBlastRadius, decodePermissionSet } from "@/lib/store/codecs/blast-radius";
import { environmentCodec } from "@/lib/store/codecs/environment";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { functionUrlsCodec } from "@/lib/store/codecs/function-urls";
import { resourcePolicyCodec, trustPolicyCodec } from "@/lib/store/codecs/policy-document";
import { layersCodec } from "@/lib/store/codecs/string-list";
import { vpcCodec } from "@/lib/store/codecs/vpc";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { getDb } from "@/lib/server/db";
import type { Database } from "@/lib/store/db";
import { blastRadiusInAwsCase, findingInAwsCase, riskInAwsCase } from "./action-names";
import { shownRisk, viewStoredFunction, type ViewSuppression } from "./scan-view";
import { rolePolicyViews, type PolicyView } from "./role-policies";
import { roleRecommendation } from "./role-recommendation";
import { loadSuppressionMatcher } from "./suppressions";
import { accountRowsScanId, findingIdsOf, functionIdOf, graphScanId } from "@/lib/store/shared-rows";

export type { PolicyView };

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
  /**
   * As stored: its reached functions are counted, not listed (older scans listed the first 25). The
   * page lists the whole reach page by page from the role's stored reach (lib/queries/reach.ts).
   */
  blastRadius: BlastRadius | null;
  /** The role's recommended policy, covering every function of the role (`functionCount`). */
  recommendedPolicy: RecommendedPolicy | null;
  recommendationCovers: number;
}

export async function getFunctionDetail(scanId: number, arn: string): Promise<FunctionDetail | null> {
  return functionDetailIn(await getDb(), scanId, arn);
}

export async function functionDetailIn(db: Database, scanId: number, arn: string): Promise<FunctionDetail | null> {
  const id = await functionIdOf(db, scanId, arn);
  const fn = id === null ? null : await db.prisma.lambdaFunction.findUnique({ where: { id } });
  if (!fn) return null;
  // A corrupted JSON column fails here, naming the scan, table, column and row.
  const ref = { scanId, key: fn.arn };
  const roleRef = { scanId, key: fn.roleArn };
  // The role and mappings where their accounts' rows are (shared-rows.ts): a role may be another account's.
  const [role, account, mappings, siblings, findingRows, suppressions] = await Promise.all([
    accountRowsScanId(db, scanId, fn.roleArn.split(":")[4] ?? "").then((at) => db.prisma.role.findUnique({ where: { scanId_arn: { scanId: at, arn: fn.roleArn } } })),
    db.prisma.account.findUnique({ where: { scanId_accountId: { scanId, accountId: fn.accountId } }, select: { name: true } }),
    accountRowsScanId(db, scanId, fn.accountId).then((at) => db.prisma.eventSourceMapping.findMany({ where: { scanId: at, functionArn: arn }, orderBy: { uuid: "asc" } })),
    db.prisma.functionVerdict.findMany({ where: { scanId, roleArn: fn.roleArn, NOT: { arn } }, select: { arn: true, name: true }, orderBy: [{ name: "asc" }, { arn: "asc" }] }),
    findingIdsOf(db, scanId, [arn]).then((ids) => db.prisma.finding.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })),
    loadSuppressionMatcher(db),
  ]);
  // The verdicts shown (severity, public, suppression state) come from the one derivation every surface uses.
  const verdicts = viewStoredFunction(scanId, fn, account?.name ?? null, findingRows, suppressions);
  const verdictById = new Map(verdicts.findings.map((f) => [f.id, f]));
  const catalogue = new Map(RULE_CATALOGUE.map((r) => [r.id, r]));
  const findings: FindingView[] = findingRows.map((f) => {
    const details = findingDetailsCodec.decode(f.details, { scanId, key: f.id });
    const rule = catalogue.get(f.ruleId);
    const verdict = verdictById.get(f.id);
    return findingInAwsCase({
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
    });
  });
  const permissionSet = fn.permissionsKey ? await db.prisma.permissionSet.findUnique({ where: { scanId_permissionsKey: { scanId: await graphScanId(db, scanId), permissionsKey: fn.permissionsKey } } }) : null;
  const blastRadius = decodeBlastRadius(fn.blastRadius, permissionSet ? decodePermissionSet(permissionSet, scanId) : null, ref);
  const policies = await rolePolicyViews(db, scanId, fn.accountId, role, findings.flatMap((f) => f.statements));
  const recommendation = await roleRecommendation(db, scanId, fn.roleArn);
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
    riskScore: verdicts.riskScore,
    severity: verdicts.severity,
    risk: ((r) => (r ? riskInAwsCase(r) : null))(shownRisk(verdicts, fn.risk, ref)),
    findings,
    blastRadius: blastRadius ? blastRadiusInAwsCase(blastRadius) : null,
    recommendedPolicy: recommendation?.policy ?? null,
    recommendationCovers: recommendation?.functionCount ?? 0,
  };
}

/** The account of a function in a scan, or null when it is not there. */
export async function functionAccount(scanId: number, arn: string): Promise<string | null> {
  const db = await getDb();
  const fn = await db.prisma.functionVerdict.findUnique({ where: { scanId_arn: { scanId, arn } }, select: { accountId: true } });
  return fn?.accountId ?? null;
}
