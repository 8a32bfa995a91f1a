/**
 * SARIF 2.1.0 export (schemas/sarif-schema-2.1.0.json, OASIS errata01), shaped for GitHub code
 * scanning: every rule of the catalogue, one result per finding in the report, stable
 * fingerprints, and a pseudo file location per function because code scanning requires one.
 */
import type { RuleMeta, Severity } from "@/lib/analysis/types";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import type { JsonReport, ReportEntry, ReportFinding, ReportFunction, ReportHead } from "./build-json-report";
import { STREAMED_ARRAY, streamedJsonArray, type ReportWriter } from "./report-writer";
import { describeGap } from "./report-text";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const FINGERPRINT_KEY = "saltzerFingerprint/v1";

type SarifLevel = "error" | "warning" | "note";

/** GitHub maps security-severity > 9.0 to critical, ≥ 7.0 high, ≥ 4.0 medium, else low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "1.0" };
export const SARIF_LEVEL: Record<Severity, SarifLevel> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; "security-severity": string; severity: Severity };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: "function" }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: "external"; justification: string; properties?: { expiresAt: string } }[];
  properties: { functionArn: string; functionName: string; accountId: string; region: string; riskScore: number | null; category: string; severity: Severity; title: string; /** What the scan could not read for this function (empty when complete). */ incomplete: { api: string; reason: string }[] };
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    invocations: {
      executionSuccessful: boolean;
      startTimeUtc: string;
      endTimeUtc?: string;
      toolExecutionNotifications: { level: "warning"; message: SarifMessage }[];
    }[];
    automationDetails: { id: string };
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

/**
 * Snapshot text as a SARIF plain text message. SARIF 2.1.0 §3.11.6 reads `[text](target)` in
 * message.text as an embedded link, so a reason quoting `[x](javascript:alert(1))` or
 * `![t](http://…)` from a policy would become a link or an image in a viewer: literal square
 * brackets are escaped with a backslash, as the section prescribes, and so is the backslash.
 */
export function sarifPlainText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** `admin-equivalent-access` → `AdminEquivalentAccess`: SARIF's rule `name` is an identifier. */
const pascalCase = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

function ruleDescriptor(rule: RuleMeta): SarifRule {
  const references = rule.references.filter((r) => /^https?:\/\//.test(r));
  const markdown = [
    `**${rule.title}** (${rule.severity}, ${rule.category})`,
    "",
    rule.description,
    "",
    `**Risk.** ${rule.risk}`,
    "",
    `**Remediation.** ${rule.remediation}`,
    ...(references.length ? ["", "**References**", "", ...references.map((r) => `- <${r}>`)] : []),
  ].join("\n");
  const text = [
    rule.description,
    `Risk: ${rule.risk}`,
    `Remediation: ${rule.remediation}`,
    ...(references.length ? [`References: ${references.join(" ")}`] : []),
  ].join("\n\n");
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text, markdown },
    ...(references[0] ? { helpUri: references[0] } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    // Code scanning reads security-severity only on rules tagged "security".
    properties: { tags: ["security", rule.category], "security-severity": SECURITY_SEVERITY[rule.severity], severity: rule.severity },
  };
}

/** A stable pseudo path: code scanning needs a file location, and a function has none. */
export function functionArtifactUri(fn: Pick<ReportFunction, "accountId" | "region" | "name">): string {
  return ["aws", "lambda", fn.accountId, fn.region, fn.name].map(encodeURIComponent).join("/");
}

function result(fn: ReportFunction, f: ReportFinding, ruleIndex: number | undefined): SarifResult {
  return {
    ruleId: f.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: SARIF_LEVEL[f.severity],
    message: { text: sarifPlainText(f.reason) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: functionArtifactUri(fn) }, region: { startLine: 1 } },
        logicalLocations: [{ name: fn.name, fullyQualifiedName: fn.arn, kind: "function" }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: "external" as const,
              justification: f.suppression?.reason ?? "",
              ...(f.suppression?.expiresAt ? { properties: { expiresAt: f.suppression.expiresAt } } : {}),
            },
          ],
        }
      : {}),
    properties: { functionArn: fn.arn, functionName: fn.name, accountId: fn.accountId, region: fn.region, riskScore: fn.riskScore, category: f.category, severity: f.severity, title: f.title, incomplete: fn.incomplete },
  };
}

/**
 * The report as a SARIF log (of a report already selected by the view filter): every finding in
 * the report becomes a result, and a suppressed one (present only with `suppressed: include`)
 * carries an external suppression with its justification. Functions judged on incomplete data
 * are listed in the run's `incompleteFunctions` property, findings or not.
 */
export function toSarif(report: JsonReport): SarifLog {
  const ruleIndex = new Map(RULE_CATALOGUE.map((r, i) => [r.id, i]));
  const results = report.functions.flatMap((fn) => fn.findings.map((f) => result(fn, f, ruleIndex.get(f.ruleId))));
  return sarifLog(report, report.functions, results);
}

/** The log around its results; `functions` only for the run's `incompleteFunctions`. */
function sarifLog(head: ReportHead, functions: readonly Pick<ReportEntry, "arn" | "incomplete">[], results: SarifResult[]): SarifLog {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Saltzer",
            version: head.generator.version,
            semanticVersion: head.generator.version,
            rules: RULE_CATALOGUE.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: head.scan.status === "succeeded" || head.scan.status === "partial",
            startTimeUtc: head.scan.startedAt,
            ...(head.scan.finishedAt ? { endTimeUtc: head.scan.finishedAt } : {}),
            toolExecutionNotifications: head.scan.gaps.map((g) => ({ level: "warning" as const, message: { text: sarifPlainText(`Coverage gap: ${describeGap(g)}`) } })),
          },
        ],
        automationDetails: { id: `saltzer/scan-${head.scan.id}` },
        results,
        properties: {
          scanId: head.scan.id,
          scanStatus: head.scan.status,
          source: head.scan.source,
          organizationId: head.scan.organizationId,
          summary: head.summary,
          incompleteFunctions: functions.filter((fn) => fn.incomplete.length > 0).map((fn) => ({ functionArn: fn.arn, incomplete: fn.incomplete })),
        },
      },
    ],
  };
}

/** SARIF in parts (lib/report/report-writer.ts): the results stream, the rest is known up front. */
export function sarifWriter(head: ReportHead, entries: readonly ReportEntry[]): ReportWriter {
  const ruleIndex = new Map(RULE_CATALOGUE.map((r, i) => [r.id, i]));
  const frame = streamedJsonArray(sarifLog(head, entries, STREAMED_ARRAY as SarifResult[]));
  let count = 0;
  return {
    parts: "results",
    order: entries,
    begin: () => frame.before,
    write(fn) {
      let out = "";
      for (const f of fn.findings) {
        out += frame.item(result(fn, f, ruleIndex.get(f.ruleId)));
        count += 1;
      }
      return out;
    },
    end: () => `${frame.after(count)}\n`,
  };
}
