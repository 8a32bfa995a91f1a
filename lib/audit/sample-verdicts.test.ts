/**
 * The sample organization's documented verdicts (samples/acme/EXPECTED.json), checked against
 * the whole analysis: no false alarm on the clean functions, every over-broad case found.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot, type SnapshotAnalysis } from "./analyze-snapshot";
import { effectivePermissions } from "@/lib/analysis/policy/effective-permissions";
import { decide } from "@/lib/analysis/policy/permission-queries";
import { indexSnapshot, type SnapshotIndex } from "@/lib/analysis/snapshot-index";
import type { FunctionAnalysis } from "@/lib/analysis/types";
import { RULE_CATALOGUE } from "@/lib/rules/index";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");
interface Expected {
  account: string;
  region: string;
  function: string;
  verdict: string;
  tags: string[];
}
const expected: Expected[] = JSON.parse(fs.readFileSync(path.join(SAMPLE, "EXPECTED.json"), "utf8"));
const withTag = (tag: string) => expected.filter((e) => e.tags.includes(tag)).map((e) => [`${e.function} (${e.account} ${e.region})`, e] as const);

let analysis: SnapshotAnalysis;
let index: SnapshotIndex;
beforeAll(async () => {
  const snapshot = await readSnapshotDir(SAMPLE);
  index = indexSnapshot(snapshot);
  // A fixed date keeps runtime deprecation verdicts stable.
  analysis = await analyzeSnapshot(snapshot, { now: "2026-11-23T00:00:00Z" });
}, 120_000);

function resultFor(e: Expected): FunctionAnalysis {
  const arn = `arn:aws:lambda:${e.region}:${e.account}:function:${e.function}`;
  const result = analysis.functions.get(arn);
  if (!result) throw new Error(`${arn} was not analysed`);
  return result;
}
const rules = (r: FunctionAnalysis) => r.findings.map((f) => f.ruleId);
const HIGH = new Set(["critical", "high"]);

describe("sample organization verdicts", () => {
  it("shows every rule of the catalogue at least once", () => {
    // Given the whole sample analysed
    const fired = new Set([...analysis.functions.values()].flatMap((r) => r.findings.map((f) => f.ruleId)));
    // Then no rule is left without an example
    expect(RULE_CATALOGUE.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  it.each(withTag("clean"))("%s: a least-privilege function has no high or critical finding", (_n, e) => {
    const result = resultFor(e);
    expect(result.findings.filter((f) => HIGH.has(f.severity)).map((f) => `${f.ruleId}: ${f.reason}`)).toEqual([]);
    expect(HIGH.has(result.risk.severity)).toBe(false);
  });

  it.each(withTag("public-invoke"))("%s: Principal \"*\" without condition is public-invoke", (_n, e) => {
    expect(rules(resultFor(e))).toContain("public-invoke");
  });

  it.each(withTag("public-url"))("%s: a URL with AuthType NONE is public-invoke", (_n, e) => {
    const finding = resultFor(e).findings.find((f) => f.ruleId === "public-invoke");
    expect(finding?.reason).toMatch(/NONE/);
  });

  it.each(withTag("url-iam-auth"))("%s: an AWS_IAM URL is not public", (_n, e) => {
    expect(rules(resultFor(e))).not.toContain("public-invoke");
  });

  it.each(withTag("service-principal-no-source"))("%s: a service principal without SourceArn is a confused deputy", (_n, e) => {
    expect(rules(resultFor(e))).toContain("confused-deputy");
  });

  it.each(withTag("service-principal-scoped"))("%s: a service principal scoped by SourceArn is not flagged", (_n, e) => {
    expect(rules(resultFor(e))).not.toContain("confused-deputy");
    expect(rules(resultFor(e))).not.toContain("public-invoke");
  });

  it.each(withTag("cross-account-external"))("%s: an invoker outside the organization is cross-account-invoke", (_n, e) => {
    expect(resultFor(e).findings.find((f) => f.ruleId === "cross-account-invoke")?.reason).toMatch(/999988887777/);
  });

  it.each(withTag("privilege-escalation-passrole"))("%s: PassRole split across two policies is an escalation path", (_n, e) => {
    const finding = resultFor(e).findings.find((f) => f.ruleId === "privilege-escalation" && f.escalation?.method.startsWith("passrole"));
    expect(finding && HIGH.has(finding.severity)).toBe(true);
    const policies = new Set(finding!.escalation!.steps.map((s) => s.grantedBy.policyName));
    expect(policies.size).toBeGreaterThanOrEqual(2);
    expect(finding!.escalation!.target).toMatch(/role\/data-admin-role$/);
  });

  it.each(withTag("can-update-other-function"))("%s: UpdateFunctionCode on other functions reaches them", (_n, e) => {
    const reached = resultFor(e).blastRadius.reachableFunctions;
    const viaUpdate = reached.filter((r) => r.path.some((p) => p.kind === "can-update-code")).map((r) => r.arn.split(":").pop());
    expect(viaUpdate).toEqual(expect.arrayContaining(["orders-api", "orders-history"]));
  });

  it.each(withTag("reach-by-trigger"))("%s: writing to another function's queue reaches it", (_n, e) => {
    const reached = resultFor(e).blastRadius.reachableFunctions.find((r) => r.arn.endsWith(":function:order-confirmation-mailer"));
    expect(reached?.path.some((p) => p.kind === "can-trigger-via" && p.via === "sqs")).toBe(true);
  });

  it.each(withTag("admin-boundary-limited"))("%s: AdministratorAccess held back by a boundary is not admin", (_n, e) => {
    const result = resultFor(e);
    expect(rules(result)).not.toContain("admin-equivalent-access");
    expect(result.findings.filter((f) => HIGH.has(f.severity))).toEqual([]);
  });

  it.each(withTag("managed-full-access"))("%s: AWS-managed FullAccess policies are reported at high or above", (_n, e) => {
    const managed = resultFor(e).findings.filter((f) => f.ruleId === "aws-managed-full-access");
    expect(managed.length).toBeGreaterThan(0);
    expect(managed.some((f) => HIGH.has(f.severity))).toBe(true);
  });

  it.each(withTag("wildcard-action"))("%s: a service-wide wildcard on * is reported", (_n, e) => {
    expect(rules(resultFor(e))).toContain("service-wide-wildcard");
  });

  it.each(withTag("shared-role"))("%s: a role shared by several functions is reported", (_n, e) => {
    expect(rules(resultFor(e))).toContain("shared-role");
  });

  it.each(withTag("unused-services"))("%s: services never used per last-accessed data are reported", (_n, e) => {
    expect(rules(resultFor(e))).toContain("unused-permissions");
  });

  it.each(withTag("env-secret"))("%s: secrets in environment variables are reported by name", (_n, e) => {
    expect(resultFor(e).findings.find((f) => f.ruleId === "secrets-in-environment")?.reason).toMatch(/[A-Z_]*(PASSWORD|SECRET|KEY)/);
  });

  it.each(withTag("deprecated-runtime"))("%s: a deprecated runtime is reported", (_n, e) => {
    expect(rules(resultFor(e))).toContain("deprecated-runtime");
  });

  it.each(withTag("missing-logs"))("%s: a role that cannot write its own log group is reported", (_n, e) => {
    expect(rules(resultFor(e))).toContain("missing-logging");
  });

  it.each(withTag("cross-account-assume"))("%s: assuming admin roles in member accounts is reported high or above", (_n, e) => {
    expect(resultFor(e).findings.some((f) => f.category === "privilege-escalation" && HIGH.has(f.severity))).toBe(true);
  });

  it.each(withTag("policy-versions"))("%s: only the default policy version counts", (_n, e) => {
    expect(resultFor(e).findings.some((f) => f.actions.some((a) => a.startsWith("ssm:*")))).toBe(false);
  });

  it("an SCP-denied action is not effective and names the SCP", () => {
    const fn = [...index.functions.values()].find((f) => f.name === "trail-maintenance")!;
    const decision = decide(effectivePermissions(index, fn.roleArn), "cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail");
    expect(decision.decision).toBe("denied");
    expect(decision.deniedBy[0].name).toMatch(/SCP "DenyLeaveOrgAndAuditTampering"/);
  });

  it("the riskiest functions are the escalation and admin cases, not the clean ones", () => {
    // Given the functions rated high or critical, riskiest first
    const ranked = [...analysis.functions.values()].sort((a, b) => b.risk.score - a.risk.score);
    const severe = ranked.filter((r) => HIGH.has(r.risk.severity)).map((r) => r.functionArn.split(":").pop());
    const clean = new Set(expected.filter((e) => e.tags.includes("clean")).map((e) => e.function));
    // Then none of them is a clean function, and the escalation and FullAccess cases lead
    expect(severe.filter((n) => clean.has(n!))).toEqual([]);
    expect(severe.slice(0, 5)).toEqual(expect.arrayContaining(["deploy-helper", "image-moderation"]));
  });
});
