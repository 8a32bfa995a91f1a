/**
 * Rebuilds the normalized snapshot of a stored scan, so `saltzer can --scan`, `check --scan`
 * and the dashboard's "can it?" form run the same engine on stored data.
 */
import type {
  Account,
  EnvironmentVariable,
  FunctionUrl,
  Group,
  InlinePolicy,
  LambdaFunction,
  Organization,
  PolicyDocument,
  PolicyVersion,
  ServiceLastAccessed,
  Snapshot,
  User,
} from "@/lib/snapshot/types";
import type { Database } from "./db";

/** `accountIds` limits the load to those accounts (the organization and its SCPs always come along). */
export async function loadSnapshot(db: Database, scanId: number, options: { accountIds?: string[] } = {}): Promise<Snapshot> {
  const scan = await db.prisma.scan.findUnique({ where: { id: scanId } });
  if (!scan) throw new Error(`Scan ${scanId} does not exist.`);
  if (scan.status !== "succeeded" && scan.status !== "partial") throw new Error(`Scan ${scanId} is ${scan.status}; it holds no complete data.`);
  const where = options.accountIds ? { scanId, accountId: { in: options.accountIds } } : { scanId };
  const [accounts, roles, policies, functions, mappings] = await Promise.all([
    db.prisma.account.findMany({ where, orderBy: { accountId: "asc" } }),
    db.prisma.role.findMany({ where, orderBy: { id: "asc" } }),
    db.prisma.managedPolicy.findMany({ where, orderBy: { id: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where, orderBy: { id: "asc" } }),
    db.prisma.eventSourceMapping.findMany({ where, orderBy: { id: "asc" } }),
  ]);
  const byAccount = new Map<string, Account>();
  for (const a of accounts) {
    byAccount.set(a.accountId, {
      accountId: a.accountId,
      name: a.name,
      regions: a.regions as unknown as string[],
      users: a.users as unknown as User[],
      groups: a.groups as unknown as Group[],
      lastAccessed: a.lastAccessed as unknown as Record<string, ServiceLastAccessed[]>,
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
      assumeRolePolicy: r.assumeRolePolicy as unknown as PolicyDocument,
      inlinePolicies: r.inlinePolicies as unknown as InlinePolicy[],
      attachedPolicyArns: r.attachedPolicyArns as unknown as string[],
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
      document: p.document as unknown as PolicyDocument,
      otherVersions: p.otherVersions as unknown as PolicyVersion[],
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
      architectures: f.architectures as unknown as string[],
      environment: f.environment as unknown as EnvironmentVariable[],
      layers: f.layers as unknown as string[],
      vpc: (f.vpc as unknown as LambdaFunction["vpc"]) ?? null,
      deadLetterTargetArn: f.deadLetterTargetArn,
      kmsKeyArn: f.kmsKeyArn,
      tracingMode: f.tracingMode === "Active" || f.tracingMode === "PassThrough" ? f.tracingMode : null,
      logGroup: f.logGroup,
      resourcePolicy: (f.resourcePolicy as unknown as PolicyDocument | null) ?? null,
      urls: f.urls as unknown as FunctionUrl[],
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
    organization: (scan.organization as unknown as Organization | null) ?? null,
    accounts: [...byAccount.values()],
    gaps: scan.gaps as unknown as Snapshot["gaps"],
  };
}
