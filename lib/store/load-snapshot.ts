/**
 * Rebuilds the normalized snapshot of a stored scan, so `saltzer can --scan`, `check --scan`
 * and the dashboard's "can it?" form run the same engine on stored data.
 */
import type { Account, LambdaFunction, Snapshot } from "@/lib/snapshot/types";
import { environmentCodec } from "./codecs/environment";
import { functionUrlsCodec } from "./codecs/function-urls";
import { gapsCodec } from "./codecs/gaps";
import { inlinePoliciesCodec } from "./codecs/inline-policies";
import { lastAccessedCodec } from "./codecs/last-accessed";
import { organizationCodec } from "./codecs/organization";
import { managedPolicyDocumentCodec, resourcePolicyCodec, trustPolicyCodec } from "./codecs/policy-document";
import { otherVersionsCodec } from "./codecs/policy-versions";
import { groupsCodec, usersCodec } from "./codecs/principals";
import { accountRegionsCodec, architecturesCodec, attachedPolicyArnsCodec, layersCodec } from "./codecs/string-list";
import { vpcCodec } from "./codecs/vpc";
import { functionIdsOf } from "./shared-rows";
import type { Database } from "./db";

/** `accountIds` limits the load to those accounts (the organization and its SCPs always come along). */
export async function loadSnapshot(db: Database, scanId: number, options: { accountIds?: string[] } = {}): Promise<Snapshot> {
  const scan = await db.prisma.scan.findUnique({ where: { id: scanId } });
  if (!scan) throw new Error(`Scan ${scanId} does not exist.`);
  if (scan.status !== "succeeded" && scan.status !== "partial") throw new Error(`Scan ${scanId} is ${scan.status}; it holds no complete data.`);
  const where = options.accountIds ? { scanId, accountId: { in: options.accountIds } } : { scanId };
  const accounts = await db.prisma.account.findMany({ where, orderBy: { accountId: "asc" } });
  // Each account's roles, managed policies and mappings where its analysis was written (shared-rows.ts).
  const accountsByRowsScan = new Map<number, string[]>();
  for (const a of accounts) {
    const at = a.analysedIn ?? a.scanId;
    accountsByRowsScan.set(at, [...(accountsByRowsScan.get(at) ?? []), a.accountId]);
  }
  const ofAccounts = { OR: [...accountsByRowsScan].map(([at, accountIds]) => ({ scanId: at, accountId: { in: accountIds } })) };
  const [roles, policies, functions, mappings] = await Promise.all([
    db.prisma.role.findMany({ where: ofAccounts, orderBy: { id: "asc" } }),
    db.prisma.managedPolicy.findMany({ where: ofAccounts, orderBy: { id: "asc" } }),
    functionsOfScan(db, scanId, options.accountIds),
    db.prisma.eventSourceMapping.findMany({ where: ofAccounts, orderBy: { id: "asc" } }),
  ]);
  const byAccount = new Map<string, Account>();
  for (const a of accounts) {
    byAccount.set(a.accountId, {
      accountId: a.accountId,
      name: a.name,
      regions: accountRegionsCodec.decode(a.regions, { scanId, key: a.accountId }),
      users: usersCodec.decode(a.users, { scanId, key: a.accountId }),
      groups: groupsCodec.decode(a.groups, { scanId, key: a.accountId }),
      lastAccessed: lastAccessedCodec.decode(a.lastAccessed, { scanId, key: a.accountId }),
      roles: [],
      managedPolicies: [],
      functions: [],
      eventSourceMappings: [],
    });
  }
  const account = (id: string): Account => {
    const found = byAccount.get(id);
    if (!found) throw new Error(`Scan ${scanId} is inconsistent: account ${id} has records but no account row.`);
    return found;
  };
  for (const r of roles) {
    account(r.accountId).roles.push({
      arn: r.arn,
      name: r.name,
      path: r.path,
      roleId: r.roleId,
      createDate: r.createDate,
      assumeRolePolicy: trustPolicyCodec.decode(r.assumeRolePolicy, { scanId: r.scanId, key: r.arn }),
      inlinePolicies: inlinePoliciesCodec.decode(r.inlinePolicies, { scanId: r.scanId, key: r.arn }),
      attachedPolicyArns: attachedPolicyArnsCodec.decode(r.attachedPolicyArns, { scanId: r.scanId, key: r.arn }),
      permissionsBoundaryArn: r.permissionsBoundaryArn,
      lastUsed: r.lastUsed,
    });
  }
  for (const p of policies) {
    account(p.accountId).managedPolicies.push({
      arn: p.arn,
      name: p.name,
      awsManaged: p.awsManaged,
      defaultVersionId: p.defaultVersionId,
      document: managedPolicyDocumentCodec.decode(p.document, { scanId: p.scanId, key: p.arn }),
      otherVersions: otherVersionsCodec.decode(p.otherVersions, { scanId: p.scanId, key: p.arn }),
    });
  }
  for (const f of functions) {
    const fn: LambdaFunction = {
      arn: f.arn,
      name: f.name,
      accountId: f.accountId,
      region: f.region,
      runtime: f.runtime,
      roleArn: f.roleArn,
      handler: f.handler,
      packageType: f.packageType === "Image" ? "Image" : "Zip",
      memorySize: f.memorySize,
      timeout: f.timeout,
      lastModified: f.lastModified,
      architectures: architecturesCodec.decode(f.architectures, { scanId, key: f.arn }),
      environment: environmentCodec.decode(f.environment, { scanId, key: f.arn }),
      layers: layersCodec.decode(f.layers, { scanId, key: f.arn }),
      vpc: vpcCodec.decode(f.vpc, { scanId, key: f.arn }) ?? null,
      deadLetterTargetArn: f.deadLetterTargetArn,
      kmsKeyArn: f.kmsKeyArn,
      tracingMode: f.tracingMode === "Active" || f.tracingMode === "PassThrough" ? f.tracingMode : null,
      logGroup: f.logGroup,
      resourcePolicy: resourcePolicyCodec.decode(f.resourcePolicy, { scanId, key: f.arn }) ?? null,
      urls: functionUrlsCodec.decode(f.urls, { scanId, key: f.arn }),
    };
    account(f.accountId).functions.push(fn);
  }
  for (const m of mappings) {
    account(m.accountId).eventSourceMappings.push({
      uuid: m.uuid,
      accountId: m.accountId,
      region: m.region,
      functionArn: m.functionArn,
      eventSourceArn: m.eventSourceArn,
      state: m.state,
      batchSize: m.batchSize,
      selfManagedEventSource: m.selfManagedEventSource ?? null,
    });
  }
  return {
    source: { kind: scan.sourceKind === "aws" ? "aws" : "directory", location: scan.sourceLocation },
    organization: organizationCodec.decode(scan.organization, { scanId }) ?? null,
    accounts: [...byAccount.values()],
    gaps: gapsCodec.decode(scan.gaps, { scanId }),
  };
}

/**
 * The scan's function rows, in the order they were written (each account's rows come from one
 * scan: the one that analysed it, shared-rows.ts), read in parts of a bounded number of ids.
 */
async function functionsOfScan(db: Database, scanId: number, accountIds: string[] | undefined) {
  const ids = await functionIdsOf(db, scanId, accountIds ? { where: "v.account_id = ANY($2::text[])", params: [accountIds] } : { where: "TRUE", params: [] });
  ids.sort((a, b) => a - b);
  const rows = [];
  for (let i = 0; i < ids.length; i += FUNCTIONS_PER_READ) rows.push(...(await db.prisma.lambdaFunction.findMany({ where: { id: { in: ids.slice(i, i + FUNCTIONS_PER_READ) } }, orderBy: { id: "asc" } })));
  return rows;
}

const FUNCTIONS_PER_READ = 5_000;
