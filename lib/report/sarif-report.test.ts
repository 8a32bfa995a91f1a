import { describe, expect, it } from "vitest";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { validateJsonSchema } from "./validate-json-schema";
import { FINGERPRINT_KEY, toSarif } from "./sarif-report";
import { jsonReport, reportFinding, reportFunction, sarifSchemaForAjv } from "./report-fixtures";

const suppressed = reportFinding({ fingerprint: "s".repeat(32), suppressed: true, suppression: { reason: "Accepted: batch job, reviewed 2026-10", expiresAt: "2027-01-01T00:00:00.000Z" } });

describe("toSarif", () => {
  it("is valid against the committed SARIF 2.1.0 schema", () => {
    // Given a report with an active and a suppressed finding and a coverage gap
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding(), suppressed] })]);
    report.scan.gaps = [{ accountId: "222222222222", region: "us-east-1", api: "lambda:GetPolicy", file: null, message: "AccessDenied" }];
    // When it is rendered as SARIF
    const result = validateJsonSchema(sarifSchemaForAjv(), toSarif(report));
    // Then the schema accepts it
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every catalogue rule with its GitHub security severity and default level", () => {
    // Given any report
    // When it is rendered as SARIF
    const rules = toSarif(jsonReport([])).runs[0].tool.driver.rules;
    // Then each catalogue rule is there once, with levels and security-severity from its severity
    expect(rules.map((r) => r.id)).toEqual(RULE_CATALOGUE.map((r) => r.id));
    const admin = rules.find((r) => r.id === "admin-equivalent-access");
    expect(admin?.properties["security-severity"]).toBe("9.5");
    expect(admin?.defaultConfiguration.level).toBe("error");
    expect(admin?.properties.tags).toContain("admin-access");
    expect(admin?.help.markdown).toContain("**Remediation.**");
  });

  it("turns each finding into a result located at its function, with its fingerprint", () => {
    // Given a medium finding on a function
    const fn = reportFunction({ name: "orders", riskScore: 33, findings: [reportFinding({ severity: "medium", fingerprint: "f".repeat(32) })] });
    // When it is rendered as SARIF
    const [result] = toSarif(jsonReport([fn])).runs[0].results;
    // Then the result names the rule, the function (logical and pseudo-physical) and the fingerprint
    expect(result.level).toBe("warning");
    expect(result.message.text).toBe(fn.findings[0].reason);
    expect(result.locations[0].logicalLocations[0]).toMatchObject({ fullyQualifiedName: fn.arn, kind: "function" });
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "aws/lambda/222222222222/us-east-1/orders" }, region: { startLine: 1 } });
    expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: "f".repeat(32) });
    expect(result.properties).toMatchObject({ functionArn: fn.arn, riskScore: 33, category: "data-exfiltration" });
  });

  it("marks a suppressed finding with an external suppression and its justification", () => {
    // Given a report that kept a suppressed finding
    const report = jsonReport([reportFunction({ name: "api", findings: [suppressed] })]);
    // When it is rendered as SARIF
    const [result] = toSarif(report).runs[0].results;
    // Then the result carries the suppression
    expect(result.suppressions).toEqual([{ kind: "external", justification: "Accepted: batch job, reviewed 2026-10", properties: { expiresAt: "2027-01-01T00:00:00.000Z" } }]);
  });

  it("identifies the run by scan id for code scanning", () => {
    // Given scan 12
    // When its report is rendered as SARIF
    const run = toSarif(jsonReport([], 12)).runs[0];
    // Then the automation id is stable per scan, under the "saltzer" category
    expect(run.automationDetails.id).toBe("saltzer/scan-12");
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  it("escapes snapshot text so a viewer reads no embedded link or image in a message (SARIF §3.11.6)", () => {
    // Given a finding reason and a gap quoting a link, an image and a backslash from a snapshot
    const reason = 'Resource "[x](javascript:alert(1))" and ![t](http://evil.example/t.png) in C:\\[dir]';
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding({ reason })] })]);
    report.scan.gaps = [{ accountId: "222222222222", region: "us-east-1", api: "lambda:GetPolicy", file: null, message: "see [here](https://evil.example)" }];
    // When it is rendered as SARIF
    const run = toSarif(report).runs[0];
    const messages = [run.results[0].message.text, run.invocations[0].toolExecutionNotifications[0].message.text];
    // Then no unescaped "[text](target)" is left, and undoing the escapes gives the original text back
    const embeddedLink = /(?<!\\)(?:\\\\)*\[[^\]]*(?<!\\)\]\(/;
    for (const text of messages) expect(text).not.toMatch(embeddedLink);
    expect(messages[0]).toBe('Resource "\\[x\\](javascript:alert(1))" and !\\[t\\](http://evil.example/t.png) in C:\\\\\\[dir\\]');
    const unescape = (text: string) => text.replace(/\\([\\[\]])/g, "$1");
    expect(unescape(messages[0])).toBe(reason);
    expect(unescape(messages[1])).toContain("see [here](https://evil.example)");
  });
});
