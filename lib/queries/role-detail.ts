import "server-only";
/**
 * One execution role as its page shows it: its policies with the statements that cause findings,
 * trust policy, boundary, the SCPs above its account, the functions running as it with their
 * findings (suppressions applied, as everywhere), its effective permissions by service and access
 * level, and the recommended policy stored for it.
 */
import type { PolicyDocument } from "@/lib/snapshot/types";
import type { ServiceReach, Severity, StatementRef } from "@/lib/analysis/types";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import type { Organization } from "@/lib/snapshot/types";
import { getDb } from "@/lib/server/db";
import type { Database } from "@/lib/store/db";
import { joinBlastRadius } from "@/lib/store/scan-rows";
import { blastRadiusInAwsCase, canonicalActionsInText } from "./action-names";
import { roleRecommendation, type RoleRecommendation } from "./role-recommendation";
import { rolePolicyViews, type PolicyView } from "./role-policies";
import { viewStoredFunction, type ViewFinding } from "./scan-view";
import { loadSuppressionMatcher } from "./suppressions";
import { accountRowsScanId, findingIdsOf, functionIdsOf, graphScanId } from "@/lib/store/shared-rows";

export interface RoleFunction {
  arn: string;
  name: string;
  region: string;
  riskScore: number | null;
  severity: Severity | null;
  isPublic: boolean;
  incomplete: boolean;
  /** Unsuppressed findings, worst first; suppressed ones are counted. */
  findings: Pick<ViewFinding, "ruleId" | "title" | "severity" | "category">[];
  suppressedCount: number;
}

export interface ScpLevelView {
  /** Root, OU or account id. */
  targetId: string;
  kind: "root" | "organizational unit" | "account";
  policies: { name: string; arn: string; awsManaged: boolean; document: PolicyDocument }[];
}

export interface RoleDetail {
  scanId: number;
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  path: string;
  createDate: string | null;
  lastUsed: string | null;
  trustPolicy: PolicyDocument;
  policies: PolicyView[];
  boundaryArn: string | null;
  /** SCP levels from the root to the account; null when the scan saw no organization. */
  scps: ScpLevelView[] | null;
  /** The management account is not subject to SCPs. */
  managementAccount: boolean;
  functions: RoleFunction[];
  /** Effective permissions by service and access level (shared by every function of the role). */
  services: ServiceReach[];
  totals: { actions: number; services: number } | null;
  recommendation: RoleRecommendation | null;
  /** The role's own edges in the permission graph (what it can read, write, pass, assume), at most EDGE_CAP. */
  edges: { kind: string; to: string; shortReason: string; conditional: boolean }[];
  edgeCount: number;
}

const EDGE_CAP = 100;

const SEVERITY_ORDER: Severity[] = ["critical", "high", "medium", "low", "info"];

export async function getRoleDetail(scanId: number, arn: string): Promise<RoleDetail | null> {
  return roleDetailIn(await getDb(), scanId, arn);
}

export async function roleDetailIn(db: Database, scanId: number, arn: string): Promise<RoleDetail | null> {
  // The role where its account's rows are (shared-rows.ts); the account is the ARN's fifth field.
  const role = await db.prisma.role.findUnique({ where: { scanId_arn: { scanId: await accountRowsScanId(db, scanId, arn.split(":")[4] ?? ""), arn } } });
  if (!role) return null;
  const [account, scan, fns, suppressions, recommendation] = await Promise.all([
    db.prisma.account.findUnique({ where: { scanId_accountId: { scanId, accountId: role.accountId } }, select: { name: true } }),
    db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { organization: true } }),
    db.prisma.lambdaFunction.findMany({
      where: { id: { in: await functionIdsOf(db, scanId, { where: "v.role_arn = $2", params: [arn] }) } },
      select: { arn: true, name: true, accountId: true, region: true, runtime: true, roleArn: true, policyCount: true, hasSecrets: true, hasSharedRole: true, riskScore: true, risk: true, incomplete: true, permissionsKey: true, blastRadius: true },
      orderBy: [{ riskScore: "desc" }, { name: "asc" }, { arn: "asc" }],
    }),
    loadSuppressionMatcher(db),
    roleRecommendation(db, scanId, arn),
  ]);
  const findingRows = fns.length
    ? await db.prisma.finding.findMany({ where: { id: { in: await findingIdsOf(db, scanId, fns.map((f) => f.arn)) } }, orderBy: { id: "asc" } })
    : [];
  const findingsByFunction = new Map<string, typeof findingRows>();
  for (const f of findingRows) findingsByFunction.set(f.functionArn, [...(findingsByFunction.get(f.functionArn) ?? []), f]);

  const cited: StatementRef[] = [];
  const functions = fns.map((fn): RoleFunction => {
    const rows = findingsByFunction.get(fn.arn) ?? [];
    // The score without suppressed findings' shares, as on every surface.
    const verdicts = viewStoredFunction(scanId, fn, account?.name ?? null, rows, suppressions);
    const active = verdicts.findings.filter((f) => !f.suppressed);
    // Only findings that still apply highlight a statement.
    const activeIds = new Set(active.map((f) => f.id));
    for (const r of rows) if (activeIds.has(r.id)) cited.push(...((r.details as { statements?: StatementRef[] }).statements ?? []));
    return {
      arn: fn.arn,
      name: fn.name,
      region: fn.region,
      riskScore: verdicts.riskScore,
      severity: verdicts.severity,
      isPublic: verdicts.isPublic,
      incomplete: verdicts.incomplete.length > 0,
      findings: active
        .map((f) => ({ ruleId: f.ruleId, title: canonicalActionsInText(f.title), severity: f.severity, category: f.category }))
        .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)),
      suppressedCount: verdicts.findings.length - active.length,
    };
  });

  // Every function of the role holds the same permission set: read it once, from the first.
  const first = fns[0];
  const graphScan = await graphScanId(db, scanId);
  const permissionSet = first?.permissionsKey ? await db.prisma.permissionSet.findUnique({ where: { scanId_permissionsKey: { scanId: graphScan, permissionsKey: first.permissionsKey } } }) : null;
  const radius = first ? joinBlastRadius(first.blastRadius, permissionSet) : null;

  const [edges, edgeCount] = await Promise.all([
    db.prisma.edge.findMany({ where: { scanId: graphScan, fromNode: arn }, select: { kind: true, toNode: true, shortReason: true, conditional: true }, orderBy: [{ kind: "asc" }, { toNode: "asc" }, { id: "asc" }], take: EDGE_CAP }),
    db.prisma.edge.count({ where: { scanId: graphScan, fromNode: arn } }),
  ]);
  const organization = (scan.organization as unknown as Organization | null) ?? null;
  return {
    scanId,
    arn: role.arn,
    name: role.name,
    accountId: role.accountId,
    accountName: account?.name ?? null,
    path: role.path,
    createDate: role.createDate,
    lastUsed: role.lastUsed,
    trustPolicy: role.assumeRolePolicy as unknown as PolicyDocument,
    policies: await rolePolicyViews(db, scanId, role.accountId, role, cited),
    boundaryArn: role.permissionsBoundaryArn,
    scps: organization ? scpLevels(organization, role.accountId) : null,
    managementAccount: organization?.managementAccountId === role.accountId,
    functions,
    // Actions in AWS's spelling, as on every surface (lib/queries/action-names.ts).
    services: radius ? blastRadiusInAwsCase(radius).services : [],
    totals: radius ? { actions: radius.totals.actions, services: radius.totals.services } : null,
    recommendation,
    edges: edges.map((e) => ({ kind: e.kind, to: e.toNode, shortReason: e.shortReason, conditional: e.conditional })),
    edgeCount,
  };
}

/** The SCP levels above an account, by the same walk the analysis uses (lib/analysis/snapshot-index.ts). */
function scpLevels(organization: Organization, accountId: string): ScpLevelView[] {
  const chain = indexSnapshot({ source: { kind: "directory", location: "" }, organization, accounts: [], gaps: [] }).scpChain.get(accountId) ?? [];
  return chain.map((level) => ({
    targetId: level.targetId,
    kind: organization.rootIds.includes(level.targetId) ? "root" : level.targetId === accountId ? "account" : "organizational unit",
    policies: level.policies.map((p) => ({ name: p.name, arn: p.arn, awsManaged: p.awsManaged, document: p.document })),
  }));
}
