import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/server/db";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";

export const FUNCTION_SORTS = ["risk", "name", "account", "region", "runtime", "role", "policies", "findings", "public"] as const;
export type FunctionSort = (typeof FUNCTION_SORTS)[number];

export interface FunctionListParams {
  scanId: number;
  q?: string;
  account?: string;
  region?: string;
  runtime?: string;
  /** Minimum risk severity. */
  severity?: Severity;
  category?: string;
  isPublic?: boolean;
  sharedRole?: boolean;
  sort?: FunctionSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
}

export interface FunctionRow {
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  region: string;
  runtime: string | null;
  roleName: string;
  roleArn: string;
  policyCount: number;
  isPublic: boolean;
  hasSecrets: boolean;
  sharedRole: boolean;
  riskScore: number | null;
  severity: Severity | null;
  findingCount: number;
}

export interface FunctionList {
  rows: FunctionRow[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  accounts: { id: string; name: string | null }[];
  regions: string[];
  runtimes: string[];
}

const ORDER: Record<FunctionSort, (dir: Prisma.SortOrder) => Prisma.LambdaFunctionOrderByWithRelationInput[]> = {
  risk: (dir) => [{ riskScore: { sort: dir, nulls: "last" } }, { name: "asc" }],
  findings: (dir) => [{ findingCount: dir }, { name: "asc" }],
  name: (dir) => [{ name: dir }],
  account: (dir) => [{ accountId: dir }, { name: "asc" }],
  region: (dir) => [{ region: dir }, { name: "asc" }],
  runtime: (dir) => [{ runtime: dir }, { name: "asc" }],
  role: (dir) => [{ roleArn: dir }, { name: "asc" }],
  policies: (dir) => [{ policyCount: dir }, { name: "asc" }],
  public: (dir) => [{ isPublic: dir }, { name: "asc" }],
};

/** Filtering, sorting and paging happen in the database. */
export async function listFunctions(params: FunctionListParams): Promise<FunctionList> {
  const db = await getDb();
  const pageSize = Math.min(Math.max(params.pageSize ?? 50, 10), 200);
  const where: Prisma.LambdaFunctionWhereInput = { scanId: params.scanId };
  if (params.account) where.accountId = params.account;
  if (params.region) where.region = params.region;
  if (params.runtime) where.runtime = params.runtime;
  if (params.severity) where.severity = { in: SEVERITIES.slice(0, SEVERITIES.indexOf(params.severity) + 1) };
  if (params.isPublic !== undefined) where.isPublic = params.isPublic;
  if (params.sharedRole !== undefined) where.hasSharedRole = params.sharedRole;
  if (params.category) {
    // Functions with at least one finding of that category: a semi-join in the database.
    const arns = await db.prisma.finding.findMany({ where: { scanId: params.scanId, category: params.category }, distinct: ["functionArn"], select: { functionArn: true } });
    where.arn = { in: arns.map((a) => a.functionArn) };
  }
  const q = params.q?.trim();
  if (q) {
    where.OR = [
      { name: { contains: q, mode: "insensitive" } },
      { arn: { contains: q, mode: "insensitive" } },
      { roleArn: { contains: q, mode: "insensitive" } },
      { runtime: { contains: q, mode: "insensitive" } },
    ];
  }
  const [total, accounts, regions, runtimes] = await Promise.all([
    db.prisma.lambdaFunction.count({ where }),
    db.prisma.account.findMany({ where: { scanId: params.scanId }, select: { accountId: true, name: true }, orderBy: { accountId: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where: { scanId: params.scanId }, distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } }),
    db.prisma.lambdaFunction.findMany({ where: { scanId: params.scanId, runtime: { not: null } }, distinct: ["runtime"], select: { runtime: true }, orderBy: { runtime: "asc" } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(params.page ?? 1, 1), pageCount);
  const rows = await db.prisma.lambdaFunction.findMany({
    where,
    orderBy: ORDER[params.sort ?? "risk"](params.dir ?? (params.sort && params.sort !== "risk" ? "asc" : "desc")),
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: { arn: true, name: true, accountId: true, region: true, runtime: true, roleArn: true, policyCount: true, isPublic: true, hasSecrets: true, hasSharedRole: true, riskScore: true, severity: true, findingCount: true },
  });
  const accountNames = new Map(accounts.map((a) => [a.accountId, a.name]));
  return {
    rows: rows.map((r) => ({
      arn: r.arn,
      name: r.name,
      accountId: r.accountId,
      accountName: accountNames.get(r.accountId) ?? null,
      region: r.region,
      runtime: r.runtime,
      roleArn: r.roleArn,
      roleName: r.roleArn.split("/").pop() ?? r.roleArn,
      policyCount: r.policyCount,
      isPublic: r.isPublic,
      hasSecrets: r.hasSecrets,
      sharedRole: r.hasSharedRole,
      riskScore: r.riskScore,
      severity: (r.severity as Severity | null) ?? null,
      findingCount: r.findingCount,
    })),
    total,
    page,
    pageCount,
    pageSize,
    accounts: accounts.map((a) => ({ id: a.accountId, name: a.name })),
    regions: regions.map((r) => r.region),
    runtimes: runtimes.flatMap((r) => (r.runtime ? [r.runtime] : [])),
  };
}
