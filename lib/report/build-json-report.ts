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

