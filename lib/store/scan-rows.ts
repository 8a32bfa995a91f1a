/**
 * The rows a scan writes, built from the snapshot and its analysis: pure (no database), so the
 * analysis worker can serialize its results off the thread that writes them.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { findingFingerprint } from "@/lib/analysis/fingerprint";
import { SEVERITIES, type BlastRadius, type Edge, type FunctionAnalysis, type Severity } from "@/lib/analysis/types";
import type { Account, Snapshot } from "@/lib/snapshot/types";
import { encodeRoleReach } from "./role-reach-codec";
import { FindingSearchIndex } from "./finding-search-index";

/** One row as JSON text (snake_case column names) and the columns it sets. */
export interface SerializedRow {
  json: string;
  columns: string[];
}

/**
 * One table's rows as one JSON array in UTF-8, ready for one INSERT (lib/store/save-scan.ts).
 * The analysis worker encodes them and hands the bytes over without a copy, so the thread that
 * writes neither joins nor re-encodes the rows it passes to the database.
 */
export interface EncodedRows {
  table: string;
  /** The union of the columns the rows set; a row without one of them stores NULL there. */
  columns: string[];
  count: number;
  bytes: Uint8Array;
}

/** What the writer and the scan summary need of an analysed function, beside its rows. */
export interface FunctionSummary {
  functionArn: string;
  riskScore: number;
  severity: Severity;
  findingSeverities: Severity[];
}

/** Analysed rows handed to the writer: the functions analysed since the last hand-over, and the batches that filled. */
export interface AnalysedRows {
  functions: FunctionSummary[];
  batches: EncodedRows[];
}

/** Rows per INSERT, and a byte budget so a batch of large JSON documents stays small. */
const BATCH_ROWS = 2_000;
const BATCH_CHARS = 2 ** 20;

const utf8 = new TextEncoder();

/**
 * Collects rows per table, in the order they are added, and encodes a table's batch once it
 * is full (or on `flush`). Order within a table is kept; tables are independent. Each row's JSON
 * is written to the batch's UTF-8 bytes as it is added, so the text dies young: a batch's rows
 * would otherwise live long enough to be promoted, and be collected again by full collections.
 */
export class RowBatcher {
  private pending = new Map<string, PendingBatch>();
  private ready: EncodedRows[] = [];

  add(table: string, row: object): void {
    this.addSerialized(table, serializeRow(row));
  }

  addSerialized(table: string, row: SerializedRow): void {
    let batch = this.pending.get(table);
    if (!batch) this.pending.set(table, (batch = new PendingBatch()));
    for (const column of row.columns) batch.columns.add(column);
    batch.append(row.json);
    if (batch.count >= BATCH_ROWS || batch.chars >= BATCH_CHARS) this.encode(table, batch);
  }

  /** Whether a full batch waits to be taken. */
  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** Encodes every table's rows not yet encoded. */
  flush(): void {
    for (const [table, batch] of this.pending) if (batch.count) this.encode(table, batch);
  }

  /** The encoded batches, oldest first; the batcher forgets them. */
  take(): EncodedRows[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  private encode(table: string, batch: PendingBatch): void {
    this.ready.push({ table, columns: [...batch.columns], count: batch.count, bytes: batch.bytes() });
    batch.reset();
  }
}

/** One table's rows so far: `[row,row,…` in UTF-8, growing as rows are appended. */
class PendingBatch {
  columns = new Set<string>();
  count = 0;
  /** UTF-16 length of the rows' JSON (the batch budget is in characters). */
  chars = 0;
  private buffer = new Uint8Array(64 * 1024);
  private used = 0;

  append(json: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; plus the separator.
    this.reserve(json.length * 3 + 2);
    this.buffer[this.used++] = this.count === 0 ? 0x5b /* [ */ : 0x2c; /* , */
    this.used += utf8.encodeInto(json, this.buffer.subarray(this.used)).written;
    this.count += 1;
    this.chars += json.length;
  }

  /** Empties the batch, keeping its buffer: a new buffer per batch is memory outside the heap that makes the collector run. */
  reset(): void {
    this.columns = new Set();
    this.count = 0;
    this.chars = 0;
    this.used = 0;
  }

  /** The batch's bytes, `[…]`, in an array of their own (handed to another thread as is). */
  bytes(): Uint8Array {
    this.reserve(2);
    if (this.count === 0) this.buffer[this.used++] = 0x5b;
    this.buffer[this.used++] = 0x5d; /* ] */
    return this.buffer.slice(0, this.used);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }
}

/** Every row of `rows` in `table`, encoded in batches (for rows built on the writing thread). */
export function* encodedBatches(table: string, rows: Iterable<object>): Generator<EncodedRows> {
  const batcher = new RowBatcher();
  for (const row of rows) {
    batcher.add(table, row);
    if (batcher.hasReady) yield* batcher.take();
  }
  batcher.flush();
  yield* batcher.take();
}

/**
 * A function's stored blast radius: the permission-set part lives in `permission_sets`, and its
 * first reached functions are stored empty (their count stays): they are the start of its role's
 * stored reach (`role_reach`), which readers list from (lib/queries/reach.ts, `withFirstReachedFunctions`).
 * Scans stored before this kept the list here; a list that is not empty is read as it is.
 */
export type StoredBlastRadius = Omit<BlastRadius, "services" | "dataStores">;
type PermissionSetPart = Pick<BlastRadius, "services" | "dataStores">;

/** The whole blast radius again, from a function's stored part and its permission set (older scans kept it whole). */
export function joinBlastRadius(stored: unknown, permissionSet: { services: unknown; dataStores: unknown } | null | undefined): BlastRadius | null {
  if (!stored) return null;
  const radius = stored as StoredBlastRadius & Partial<PermissionSetPart>;
  if (radius.services) return radius as BlastRadius;
  return {
    ...radius,
    services: (permissionSet?.services as BlastRadius["services"] | undefined) ?? [],
    dataStores: (permissionSet?.dataStores as BlastRadius["dataStores"] | undefined) ?? { read: [], write: [], delete: [] },
  };
}

export function permissionSetRow(scanId: number, result: FunctionAnalysis): Prisma.PermissionSetCreateManyInput {
  return { scanId, permissionsKey: result.permissionsKey, services: json(result.blastRadius.services), dataStores: json(result.blastRadius.dataStores) };
}

const snakeNames = new Map<string, string>();
const snake = (key: string): string => {
  let name = snakeNames.get(key);
  if (name === undefined) snakeNames.set(key, (name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return name;
};

/** A row keyed by column name (Prisma's @map names are the snake_case field names), as JSON. */
export function serializeRow(row: object): SerializedRow {
  const out: Record<string, unknown> = {};
  const columns: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const column = snake(key);
    out[column] = value;
    columns.push(column);
  }
  return { json: JSON.stringify(out), columns };
}

/**
 * The role's recommended policy, stored once per role: the analysis computes it for the role
 * (every function of the role carries the same one), so the first function of the role brings it.
 */
export function roleRecommendationRow(scanId: number, result: FunctionAnalysis, functionCount: number): Prisma.RoleRecommendationCreateManyInput {
  return { scanId, roleArn: result.roleArn, functionCount, policy: json(result.recommendedPolicy) };
}

/**
 * Adds a function's rows to `batcher`: its base row (from the snapshot) completed with its
 * analysis, its findings, its permission set's row when `firstOfPermissionSet`, its role's reach,
 * and its role's recommendation when `firstOfRole` (the number of functions of the role).
 */
export function addFunctionRows(
  batcher: RowBatcher,
  scanId: number,
  base: Prisma.LambdaFunctionCreateManyInput,
  result: FunctionAnalysis,
  firstOfPermissionSet: boolean,
  firstOfRole: { functionCount: number } | null,
  search: FindingSearchIndex,
): FunctionSummary {
  batcher.add("functions", withAnalysis(base, result));
  const index = searchIndexRows(result, search);
  for (const row of findingRows(scanId, result, index.textIds)) batcher.add("findings", row);
  for (const row of index.terms) batcher.add("search_terms", row);
  for (const row of index.textTerms) batcher.add("search_text_terms", row);
  if (firstOfPermissionSet) batcher.add("permission_sets", permissionSetRow(scanId, result));
  if (result.roleReach) batcher.add("role_reach", roleReachRow(scanId, result.roleArn, result.roleReach));
  if (firstOfRole) batcher.add("role_recommendations", roleRecommendationRow(scanId, result, firstOfRole.functionCount));
  return { functionArn: result.functionArn, riskScore: result.risk.score, severity: result.risk.severity, findingSeverities: result.findings.map((f) => f.severity) };
}

export function roleReachRow(scanId: number, roleArn: string, functions: NonNullable<FunctionAnalysis["roleReach"]>): Prisma.RoleReachCreateManyInput {
  return { scanId, roleArn, functions: json(encodeRoleReach(functions)) };
}

/** A function row with its analysis columns filled in. */
export function withAnalysis(row: Prisma.LambdaFunctionCreateManyInput, result: FunctionAnalysis): Prisma.LambdaFunctionCreateManyInput {
  return {
    ...row,
    riskScore: result.risk.score,
    severity: result.risk.severity,
    findingCount: result.findings.length,
    findingsBySeverity: SEVERITIES.map((severity) => result.findings.filter((f) => f.severity === severity).length),
    isPublic: result.isPublic,
    incomplete: json(result.incomplete),
    permissionsKey: result.permissionsKey,
    risk: json(result.risk),
    blastRadius: json(storedBlastRadius(result.blastRadius)),
    // Stored once per role (role_recommendations); this column holds only older scans' per-function ones.
  };
}

function storedBlastRadius({ services: _services, dataStores: _dataStores, ...rest }: BlastRadius): StoredBlastRadius {
  // The key stays where it was, so a reader that puts the list back writes the report's key order.
  return { ...rest, reachableFunctions: [] };
}

/**
 * The search index's rows for a function's findings (finding-search-index.ts): each finding's text
 * id, and the terms and texts the scan has not handed out yet (an earlier scan may have stored them).
 */
export function searchIndexRows(result: FunctionAnalysis, search: FindingSearchIndex) {
  const textIds: (string | null)[] = [];
  const terms: SearchTermRow[] = [];
  const textTerms: SearchTextTermRow[] = [];
  for (const finding of result.findings) {
    const rows = search.add(finding.actions, finding.resources);
    textIds.push(rows.textId);
    terms.push(...rows.terms);
    textTerms.push(...rows.textTerms);
  }
  return { textIds, terms, textTerms };
}

// 64-bit ids go to the database as decimal text (JSON has no 64-bit integers; the BIGINT column casts it).
export type FindingRow = Omit<Prisma.FindingCreateManyInput, "searchTextId"> & { searchTextId: string | null };
/** The search index's rows carry no scan id: every scan shares them (finding-search-index.ts). */
export type SearchTermRow = { id: string; term: string };
export type SearchTextTermRow = { termId: string; textId: string };

export function findingRows(scanId: number, result: FunctionAnalysis, searchTextIds: readonly (string | null)[]): FindingRow[] {
  return result.findings.map((finding, i) => ({
    scanId,
    functionArn: result.functionArn,
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    title: finding.title,
    reason: finding.reason,
    details: json({ statements: finding.statements, actions: finding.actions, resources: finding.resources, escalation: finding.escalation ?? null }),
    fingerprint: findingFingerprint(finding),
    searchTextId: searchTextIds[i],
  }));
}

/** Edges are the most numerous rows: produced lazily, one batch at a time. */
export function edgeRows(scanId: number, edgeList: Edge[]): Iterable<Prisma.EdgeCreateManyInput> & { length: number } {
  return {
    length: edgeList.length,
    *[Symbol.iterator]() {
      for (const e of edgeList) yield edgeRow(scanId, e);
    },
  };
}

/** One graph edge's row. */
export function edgeRow(scanId: number, e: Edge): Prisma.EdgeCreateManyInput {
  return { scanId, fromNode: e.from, toNode: e.to, kind: e.kind, via: e.via ?? null, reason: e.reason, shortReason: e.shortReason, conditional: e.conditional };
}

function json(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

export function snapshotRows(scanId: number, snapshot: Snapshot, analysis: { functions: Map<string, FunctionAnalysis>; edges: Edge[] } | null) {
  const accounts: Prisma.AccountCreateManyInput[] = [];
  const roles: Prisma.RoleCreateManyInput[] = [];
  const policies: Prisma.ManagedPolicyCreateManyInput[] = [];
  const functions: Prisma.LambdaFunctionCreateManyInput[] = [];
  const mappings: Prisma.EventSourceMappingCreateManyInput[] = [];
  const findings: FindingRow[] = [];
  const searchTerms: SearchTermRow[] = [];
  const searchTextTerms: SearchTextTermRow[] = [];
  const search = new FindingSearchIndex();
  const permissionSets = new Map<string, Prisma.PermissionSetCreateManyInput>();
  const roleReach = new Map<string, Prisma.RoleReachCreateManyInput>();
  const roleRecommendations = new Map<string, Prisma.RoleRecommendationCreateManyInput>();

  for (const account of snapshot.accounts) {
    const functionsPerRole = countFunctionsPerRole(account);
    accounts.push({
      scanId,
      accountId: account.accountId,
      name: account.name,
      regions: json(account.regions),
      users: json(account.users),
      groups: json(account.groups),
      lastAccessed: json(account.lastAccessed),
    });
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
        otherVersions: json(policy.otherVersions),
      });
    }
    for (const row of functionRows(scanId, account)) {
      const result = analysis?.functions.get(row.arn);
      functions.push(result ? withAnalysis(row, result) : row);
      if (result) {
        const index = searchIndexRows(result, search);
        findings.push(...findingRows(scanId, result, index.textIds));
        searchTerms.push(...index.terms);
        searchTextTerms.push(...index.textTerms);
      }
      if (result && !permissionSets.has(result.permissionsKey)) permissionSets.set(result.permissionsKey, permissionSetRow(scanId, result));
      if (result?.roleReach && !roleReach.has(result.roleArn)) roleReach.set(result.roleArn, roleReachRow(scanId, result.roleArn, result.roleReach));
      if (result && !roleRecommendations.has(result.roleArn)) roleRecommendations.set(result.roleArn, roleRecommendationRow(scanId, result, functionsPerRole.get(result.roleArn) ?? 1));
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
  return { accounts, roles, policies, functions, mappings, findings, searchTerms, searchTextTerms, permissionSets: [...permissionSets.values()], roleReach: [...roleReach.values()], roleRecommendations: [...roleRecommendations.values()], edges };
}

/** Role ARN → how many of the account's functions execute as it. */
export function countFunctionsPerRole(account: Account): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fn of account.functions) counts.set(fn.roleArn, (counts.get(fn.roleArn) ?? 0) + 1);
  return counts;
}

/** A scan's function rows for one account, before analysis. */
export function functionRows(scanId: number, account: Account): Prisma.LambdaFunctionCreateManyInput[] {
  const rolesByArn = new Map(account.roles.map((r) => [r.arn, r]));
  const functionsPerRole = countFunctionsPerRole(account);
  return account.functions.map((fn): Prisma.LambdaFunctionCreateManyInput => {
    const role = rolesByArn.get(fn.roleArn);
    return {
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
      // Decided by the analysis (withAnalysis): a public-invoke finding.
      isPublic: false,
      hasSecrets: fn.environment.some((v) => v.looksSecret),
      hasSharedRole: (functionsPerRole.get(fn.roleArn) ?? 0) > 1,
    };
  });
}
