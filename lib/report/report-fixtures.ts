/** Builders for small in-memory JSON reports, for the export tests. Shapes follow buildJsonReport. */
import fs from "node:fs";
import path from "node:path";
import type { Severity } from "@/lib/analysis/types";
import { REPORT_SCHEMA_VERSION, type JsonReport, type ReportFinding, type ReportFunction } from "./build-json-report";

export function reportFinding(overrides: Partial<ReportFinding> = {}): ReportFinding {
  return {
    ruleId: "service-wide-wildcard",
    category: "data-exfiltration",
    severity: "high",
    title: "Service-wide wildcard",
    reason: 'Inline policy "app" statement #0 allows s3:* on *.',
    fingerprint: "0123456789abcdef0123456789abcdef",
    suppressed: false,
    suppression: null,
    statements: [{ kind: "inline", policyName: "app", policyArn: null, statementIndex: 0, sid: "AllowS3" }],
    actions: ["s3:getobject", "s3:putobject"],
    resources: ["*"],
    escalation: null,
    ...overrides,
  };
}

export function reportFunction(overrides: Partial<ReportFunction> & { name: string }): ReportFunction {
  const accountId = overrides.accountId ?? "222222222222";
  const region = overrides.region ?? "us-east-1";
  const severity: Severity | null = overrides.severity === undefined ? "low" : overrides.severity;
  return {
    arn: `arn:aws:lambda:${region}:${accountId}:function:${overrides.name}`,
    accountId,
    region,
    runtime: "nodejs20.x",
    roleArn: `arn:aws:iam::${accountId}:role/${overrides.name}-role`,
    handler: "index.handler",
    packageType: "Zip",
    environment: [],
    policies: [],
    permissionsBoundary: null,
    resourcePolicy: null,
    urls: [],
    eventSources: [],
    isPublic: false,
    sharedRole: false,
    incomplete: [],
    riskScore: 10,
    risk: null,
    findings: [],
    blastRadius: null,
    recommendedPolicy: null,
    ...overrides,
    severity,
  };
}

/** A report over these functions, with the summary computed as buildJsonReport does. */
export function jsonReport(functions: ReportFunction[], scanId = 7): JsonReport {
  const count = (items: (Severity | null)[]) => {
    const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const s of items) if (s) out[s] += 1;
    return out;
  };
  const all = functions.flatMap((f) => f.findings);
  const accounts = [...new Set(functions.map((f) => f.accountId))].sort();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: "saltzer", version: "0.1.0" },
    generatedAt: "2026-11-20T10:00:00.000Z",
    scan: {
      id: scanId,
      status: "succeeded",
      startedAt: "2026-11-20T09:59:00.000Z",
      finishedAt: "2026-11-20T09:59:30.000Z",
      source: { kind: "directory", location: "/tmp/fixture" },
      organizationId: null,
      accounts: accounts.map((accountId) => ({ accountId, name: null, regions: ["us-east-1"] })),
      gaps: [],
    },
    summary: {
      accounts: accounts.length,
      functions: functions.length,
      publicFunctions: functions.filter((f) => f.isPublic).length,
      functionsWithSecrets: functions.filter((f) => f.environment.some((v) => v.looksSecret)).length,
      functionsBySeverity: count(functions.map((f) => f.severity)),
      findingsBySeverity: count(all.filter((f) => !f.suppressed).map((f) => f.severity)),
      suppressedFindings: all.filter((f) => f.suppressed).length,
    },
    functions,
  };
}

/**
 * The committed OASIS SARIF 2.1.0 schema, made loadable by ajv's draft-07 validator: the file
 * declares draft-04, whose `id` ajv 8 rejects, and draft-04 and draft-07 agree on every other
 * keyword the schema uses (it has no boolean exclusiveMinimum/Maximum).
 */
export function sarifSchemaForAjv(): object {
  const file = path.join(import.meta.dirname, "..", "..", "schemas", "sarif-schema-2.1.0.json");
  const { $schema: _draft04, id, ...rest } = JSON.parse(fs.readFileSync(file, "utf8")) as { $schema: string; id: string } & Record<string, unknown>;
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: id, ...rest };
}
