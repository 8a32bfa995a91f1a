/**
 * The only writer of scans. A scan row is created first (status `running`, so progress is
 * visible); its records are then written in one transaction, so a scan that fails or is
 * interrupted leaves no half-written rows and never touches what earlier scans stored.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { looksPubliclyInvocable } from "@/lib/analysis/exposure";
import type { Edge, FunctionAnalysis } from "@/lib/analysis/types";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";
import type { Database, SqlRunner } from "./db";
import { findingFingerprint } from "@/lib/analysis/fingerprint";

/** Analysis results for a whole snapshot, keyed by function ARN. */
export interface ScanAnalysis {
  functions: Map<string, FunctionAnalysis>;
  edges: Edge[];
}

/**
 * Analysis that hands over each function's result as it is computed; the store writes them
 * into the open transaction, so results never accumulate for a whole organization.
 */
export interface StreamedAnalysis {
  stream(emit: (result: FunctionAnalysis) => Promise<void>): Promise<{ edges: Edge[] }>;
}

/** Functions whose results are buffered before one insert. */
const FUNCTIONS_PER_FLUSH = 250;

export type ScanStatus = "running" | "succeeded" | "partial" | "failed" | "cancelled";

/** Rows per INSERT, and a byte budget so a batch of large JSON documents stays small. */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 1 * 2 ** 20;

const snakeNames = new Map<string, string>();
const snake = (key: string): string => {
  let name = snakeNames.get(key);
  if (name === undefined) snakeNames.set(key, (name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return name;
};

/** Rows keyed by column name (Prisma's @map names are the snake_case field names). */
function toColumns(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (value !== undefined) out[snake(key)] = value;
  return out;
}

/** Batches of rows, each already serialized once as a JSON array with its column list. */
function* chunks(list: Iterable<object>): Generator<{ json: string; columns: string[]; count: number }> {
  let parts: string[] = [];
  const columns = new Set<string>();
  let bytes = 0;
  const flush = () => {
    const batch = { json: `[${parts.join(",")}]`, columns: [...columns], count: parts.length };
    parts = [];
    columns.clear();
    bytes = 0;
    return batch;
  };
  for (const row of list) {
    const record = toColumns(row);
    for (const key of Object.keys(record)) columns.add(key);
    const text = JSON.stringify(record);
    parts.push(text);
    bytes += text.length;
    if (parts.length >= BATCH_ROWS || bytes >= BATCH_BYTES) yield flush();
  }
  if (parts.length) yield flush();
}

/**
 * Bulk insert with one JSON parameter: the server expands it with json_populate_recordset,
 * far cheaper than one bound parameter per value. Columns not given take their defaults.
 */
async function insertRows(conn: SqlRunner, table: string, batch: { json: string; columns: string[] }): Promise<void> {
  const columns = batch.columns.map((c) => `"${c}"`).join(", ");
  await conn.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json)`, [batch.json]);
}

export async function createScan(db: Database, source: Snapshot["source"]): Promise<number> {
  const scan = await db.prisma.scan.create({
    data: { status: "running", sourceKind: source.kind, sourceLocation: source.location, phase: "starting", heartbeatAt: new Date() },
  });
  return scan.id;
}

export async function updateScanProgress(db: Database, scanId: number, phase: string, progress: Record<string, unknown>): Promise<void> {
  await db.prisma.scan.update({ where: { id: scanId }, data: { phase, progress: progress as Prisma.InputJsonValue, heartbeatAt: new Date() } });
}

/** How often a running scan refreshes its heartbeat, and how old one may get before the scan counts as dead. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 2 * 60_000;

export async function heartbeat(db: Database, scanId: number): Promise<void> {
  await db.prisma.scan.updateMany({ where: { id: scanId, status: "running" }, data: { heartbeatAt: new Date() } });
}

export async function failScan(db: Database, scanId: number, error: unknown, status: "failed" | "cancelled" = "failed"): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.prisma.scan.update({
    where: { id: scanId },
    data: { status, error: message, finishedAt: new Date(), phase: status },
  });
}

/**
 * Scans left `running` by a process that stopped (crash, kill): marked failed, their rows were
 * never committed. The embedded database has one owner, so every running scan there is such a
 * leftover; on a shared PostgreSQL only those whose heartbeat went stale.
 */
export async function markInterruptedScans(db: Database): Promise<number> {
  const stale = new Date(Date.now() - STALE_AFTER_MS);
  const { count } = await db.prisma.scan.updateMany({
    where:
      db.kind === "pglite"
        ? { status: "running" }
        : { status: "running", OR: [{ heartbeatAt: { lt: stale } }, { heartbeatAt: null, startedAt: { lt: stale } }] },
    data: { status: "failed", phase: "failed", finishedAt: new Date(), error: "Interrupted: the process stopped mid-scan; nothing of this scan was stored." },
  });
  return count;
}

type Rows<T> = T[];

/**
 * Writes every record of the snapshot (and its analysis, when given) under `scanId` and marks
 * the scan succeeded, or partial when the snapshot lists coverage gaps.
 */
export async function storeSnapshot(
  db: Database,
  scanId: number,
  snapshot: Snapshot,
  analysis: ScanAnalysis | StreamedAnalysis | null,
  onProgress?: (rowsWritten: number, rowsTotal: number) => void,
): Promise<ScanStatus> {
  const streamed = analysis !== null && "stream" in analysis ? analysis : null;
  const rows = snapshotRows(scanId, snapshot, streamed ? null : (analysis as ScanAnalysis | null));
  const functionCount = rows.functions.length;
  let total = rows.accounts.length + rows.roles.length + rows.policies.length + functionCount + rows.mappings.length + rows.findings.length + rows.edges.length;
  let written = 0;
  let findingCount = rows.findings.length;
  const status: ScanStatus = snapshot.gaps.length > 0 ? "partial" : "succeeded";

  // One transaction on one connection: the scan's rows appear all at once or not at all.
  await db.withConnection(async (conn) => {
    const write = async (table: string, list: Iterable<object>) => {
      for (const batch of chunks(list)) {
        await insertRows(conn, table, batch);
        written += batch.count;
        onProgress?.(written, total);
      }
    };
    await conn.exec("BEGIN");
    try {
      await write("accounts", rows.accounts);
      await write("roles", rows.roles);
      await write("managed_policies", rows.policies);
      await write("event_source_mappings", rows.mappings);
      if (streamed) {
        const byArn = new Map(rows.functions.map((r) => [r.arn, r]));
        let pendingFunctions: object[] = [];
        let pendingFindings: object[] = [];
        const flush = async () => {
          const [f, g] = [pendingFunctions, pendingFindings];
          pendingFunctions = [];
          pendingFindings = [];
          total += g.length;
          await write("functions", f);
          await write("findings", g);
        };
        const { edges } = await streamed.stream(async (result) => {
          const base = byArn.get(result.functionArn);
          if (!base) throw new Error(`Analysis returned ${result.functionArn}, which is not in the snapshot.`);
          byArn.delete(result.functionArn);
          pendingFunctions.push(withAnalysis(base, result));
          pendingFindings.push(...findingRows(scanId, result));
          findingCount += result.findings.length;
          if (pendingFunctions.length >= FUNCTIONS_PER_FLUSH) await flush();
        });
        await flush();
        // Functions the analysis skipped (none expected) are still stored, unanalysed.
        await write("functions", byArn.values());
        total += edges.length;
        await write("edges", edgeRows(scanId, edges));
      } else {
        await write("functions", rows.functions);
        await write("findings", rows.findings);
        await write("edges", rows.edges);
      }
      const scanUpdate = {
        status,
        phase: "done",
        finished_at: new Date().toISOString(),
        gaps: snapshot.gaps,
        organization_id: snapshot.organization?.id ?? null,
        organization: snapshot.organization ?? null,
        account_count: snapshot.accounts.length,
        function_count: functionCount,
        finding_count: findingCount,
        analyzed: analysis !== null,
      };
      await conn.query(
        `UPDATE scans s SET status = u.status, phase = u.phase, finished_at = u.finished_at, gaps = u.gaps, organization_id = u.organization_id,
                organization = u.organization, account_count = u.account_count, function_count = u.function_count,
                finding_count = u.finding_count, analyzed = u.analyzed
           FROM json_populate_record(NULL::scans, $2::json) u WHERE s.id = $1`,
        [scanId, JSON.stringify(scanUpdate)],
      );
      await conn.exec("COMMIT");
    } catch (error) {
      await conn.exec("ROLLBACK");
      throw error;
    }
  });
  return status;
}

/** A function row with its analysis columns filled in. */
function withAnalysis(row: Prisma.LambdaFunctionCreateManyInput, result: FunctionAnalysis): Prisma.LambdaFunctionCreateManyInput {
  return {
    ...row,
    riskScore: result.risk.score,
    severity: result.risk.severity,
    findingCount: result.findings.length,
    permissionsKey: result.permissionsKey,
    risk: json(result.risk),
    blastRadius: json(result.blastRadius),
    recommendedPolicy: json(result.recommendedPolicy),
  };
}

function findingRows(scanId: number, result: FunctionAnalysis): Prisma.FindingCreateManyInput[] {
  return result.findings.map((finding) => ({
    scanId,
    functionArn: result.functionArn,
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    title: finding.title,
    reason: finding.reason,
    details: json({ statements: finding.statements, actions: finding.actions, resources: finding.resources, escalation: finding.escalation ?? null }),
    fingerprint: findingFingerprint(finding),
  }));
}

/** Edges are the most numerous rows: produced lazily, one batch at a time. */
function edgeRows(scanId: number, edgeList: Edge[]): Iterable<Prisma.EdgeCreateManyInput> & { length: number } {
  return {
    length: edgeList.length,
    *[Symbol.iterator]() {
      for (const e of edgeList) {
        yield { scanId, fromNode: e.from, toNode: e.to, kind: e.kind, via: e.via ?? null, reason: e.reason, shortReason: e.shortReason, conditional: e.conditional };
      }
    },
  };
}

function json(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

function snapshotRows(scanId: number, snapshot: Snapshot, analysis: ScanAnalysis | null) {
  const accounts: Prisma.AccountCreateManyInput[] = [];
  const roles: Prisma.RoleCreateManyInput[] = [];
  const policies: Prisma.ManagedPolicyCreateManyInput[] = [];
  const functions: Prisma.LambdaFunctionCreateManyInput[] = [];
  const mappings: Prisma.EventSourceMappingCreateManyInput[] = [];
  const findings: Prisma.FindingCreateManyInput[] = [];

  for (const account of snapshot.accounts) {
    accounts.push({
      scanId,
      accountId: account.accountId,
      name: account.name,
      regions: json(account.regions),
      users: json(account.users),
      groups: json(account.groups),
      lastAccessed: json(account.lastAccessed),
    });
    const rolesByArn = new Map(account.roles.map((r) => [r.arn, r]));
    const functionsPerRole = new Map<string, number>();
    for (const fn of account.functions) functionsPerRole.set(fn.roleArn, (functionsPerRole.get(fn.roleArn) ?? 0) + 1);

    for (const role of account.roles) {
      roles.push({
        scanId,
        arn: role.arn,
        name: role.name,
        accountId: account.accountId,
        path: role.path,
        roleId: role.roleId,
        createDate: role.createDate,
        assumeRolePolicy: json(role.assumeRolePolicy),
        inlinePolicies: json(role.inlinePolicies),
        attachedPolicyArns: json(role.attachedPolicyArns),
        permissionsBoundaryArn: role.permissionsBoundaryArn,
        lastUsed: role.lastUsed,
      });
    }
    for (const policy of account.managedPolicies) {
      policies.push({
        scanId,
        accountId: account.accountId,
        arn: policy.arn,
        name: policy.name,
        awsManaged: policy.awsManaged,
        defaultVersionId: policy.defaultVersionId,
        document: json(policy.document),
      });
    }
    for (const fn of account.functions) {
      const role = rolesByArn.get(fn.roleArn);
      const result = analysis?.functions.get(fn.arn);
      const row: Prisma.LambdaFunctionCreateManyInput = {
        scanId,
        arn: fn.arn,
        name: fn.name,
        accountId: fn.accountId,
        region: fn.region,
        runtime: fn.runtime,
        roleArn: fn.roleArn,
        handler: fn.handler,
        packageType: fn.packageType,
        memorySize: fn.memorySize,
        timeout: fn.timeout,
        lastModified: fn.lastModified,
        architectures: json(fn.architectures),
        environment: json(fn.environment),
        layers: json(fn.layers),
        vpc: fn.vpc ? json(fn.vpc) : undefined,
        deadLetterTargetArn: fn.deadLetterTargetArn,
        kmsKeyArn: fn.kmsKeyArn,
        tracingMode: fn.tracingMode,
        logGroup: fn.logGroup,
        resourcePolicy: fn.resourcePolicy ? json(fn.resourcePolicy) : undefined,
        urls: json(fn.urls),
        policyCount: role ? role.inlinePolicies.length + role.attachedPolicyArns.length : 0,
        isPublic: looksPubliclyInvocable(fn),
        hasSecrets: fn.environment.some((v) => v.looksSecret),
        hasSharedRole: (functionsPerRole.get(fn.roleArn) ?? 0) > 1,
      };
      functions.push(result ? withAnalysis(row, result) : row);
      if (result) findings.push(...findingRows(scanId, result));
    }
    for (const mapping of account.eventSourceMappings) {
      mappings.push({
        scanId,
        uuid: mapping.uuid,
        accountId: mapping.accountId,
        region: mapping.region,
        functionArn: mapping.functionArn,
        eventSourceArn: mapping.eventSourceArn,
        state: mapping.state,
        batchSize: mapping.batchSize,
        selfManagedEventSource: mapping.selfManagedEventSource ? json(mapping.selfManagedEventSource) : undefined,
      });
    }
  }
  const edges = edgeRows(scanId, analysis?.edges ?? []);
  return { accounts, roles, policies, functions, mappings, findings, edges };
}

export type { CoverageGap };
