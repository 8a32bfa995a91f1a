/**
 * The JSON report's shape (schemaVersion 1, schemas/report.schema.json). It is read from a stored
 * scan by lib/queries/json-report.ts, through the one view filter, for `saltzer report`,
 * `saltzer scan --format json` and the dashboard's export.
 */
import type { IncompleteInput } from "@/lib/analysis/verdicts";
import type { ViewFilter } from "@/lib/queries/view-filter";
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
  /** Has an unsuppressed public-invoke finding. */
  isPublic: boolean;
  sharedRole: boolean;
  /** Reads the scan could not make for this function's inputs; empty when complete. */
  incomplete: IncompleteInput[];
  /** 0–100; null when the scan was stored without analysis. */
  riskScore: number | null;
  /** Never below the worst unsuppressed finding (lib/analysis/verdicts.ts SEVERITY_RULE). */
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
  suppression: ReportSuppression | null;
  /** A suppression that matched but has expired: it no longer applies. */
  expiredSuppression?: ReportSuppression | null;
  statements: StatementRef[];
  actions: string[];
  resources: string[];
  escalation: EscalationPath | null;
}

export interface ReportSuppression {
  reason: string;
  expiresAt: string | null;
  createdBy?: string;
  createdAt?: string | null;
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
  /** The view filter this report was selected with (lib/queries/view-filter.ts); {} = everything. */
  filter?: ViewFilter;
  summary: {
    accounts: number;
    functions: number;
    publicFunctions: number;
    functionsWithSecrets: number;
    functionsBySeverity: Record<Severity, number>;
    findingsBySeverity: Record<Severity, number>;
    suppressedFindings: number;
    /** Functions with at least one input the scan could not read. */
    incompleteFunctions?: number;
  };
  functions: ReportFunction[];
}

/** Everything of a report but its functions: known before the first function is read. */
export type ReportHead = Omit<JsonReport, "functions">;

/** What a report's table of contents shows of a function: known before its full record is read. */
export type ReportEntry = Pick<ReportFunction, "arn" | "name" | "accountId" | "region" | "runtime" | "riskScore" | "severity" | "isPublic" | "incomplete" | "sharedRole"> & {
  /** Findings the report lists for it. */
  findingCount: number;
};

/**
 * What of a function's record a writer reads: `results` (SARIF: the function's identity and its
 * findings' words), `findings` (CSV: also each finding's statements, actions and resources),
 * `analysis` (HTML: also risk, blast radius, recommendation, URLs and event sources; of the
 * blast radius' services their counts per access level, of its data stores their resources,
 * without the action lists),
 * `all` (JSON). Fields outside the parts asked for come back empty, so a source need not read
 * (or hold) the largest values for a format that never prints them.
 */
export type ReportParts = "results" | "findings" | "analysis" | "all";

/**
 * A report to stream: the head and the entries first, then the full functions read page by page
 * in whatever order a renderer asks for (lib/queries/json-report.ts reads them from the store).
 */
export interface ReportSource {
  head: ReportHead;
  /** The selected functions, in report order. */
  entries: ReportEntry[];
  /** The full records of `order` (a selection of `entries`), in that order. */
  functions(order: readonly ReportEntry[], parts?: ReportParts): AsyncIterable<ReportFunction>;
}

export function reportEntry(fn: ReportFunction): ReportEntry {
  return {
    arn: fn.arn,
    name: fn.name,
    accountId: fn.accountId,
    region: fn.region,
    runtime: fn.runtime,
    riskScore: fn.riskScore,
    severity: fn.severity,
    isPublic: fn.isPublic,
    incomplete: fn.incomplete,
    sharedRole: fn.sharedRole,
    findingCount: fn.findings.length,
  };
}

/** An in-memory report as a source (tests, `saltzer scan --format`). */
export function reportSource(report: JsonReport): ReportSource {
  const { functions, ...head } = report;
  const entries = functions.map(reportEntry);
  const full = new Map(entries.map((e, i) => [e, functions[i]]));
  return {
    head,
    entries,
    async *functions(order) {
      for (const entry of order) yield full.get(entry)!;
    },
  };
}

