import { beforeAll, describe, expect, it } from "vitest";
import { loadAccessLevels } from "./policy/access-levels";
import type { RiskScore } from "./types";
import { blastRadius } from "./graph/blast-radius";
import { findingFingerprint } from "./fingerprint";
import { riskScore } from "./risk-score";
import { riskWithout } from "./verdicts";
import { ACCOUNT, finding, functionArn, grant, lambdaFunction, perms, role, roleArn, snapshotIndex } from "@/test/builders/analysis-builders";

const index = snapshotIndex({ roles: [role("ra")], functions: [lambdaFunction("a", "ra")] });
const fn = index.functions.get(functionArn("a"))!;
const radiusOf = () => blastRadius({ index, fn, perms: perms(roleArn("ra"), [grant(["dynamodb:getitem"], [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`])], "k-risk-without"), escalationPaths: [] });

// Given a function anyone can invoke (a public-invoke finding) that also has an admin-access finding
const publicInvoke = finding(fn.arn, { ruleId: "public-invoke", category: "resource-exposure", severity: "high", title: "Anyone can invoke", resources: [fn.arn] });
const admin = finding(fn.arn, { ruleId: "admin-equivalent-access", category: "admin-access", severity: "critical", title: "Administrator access", actions: ["*"] });
let risk: RiskScore;
beforeAll(async () => {
  await loadAccessLevels();
  risk = riskScore({ blastRadius: radiusOf(), findings: [publicInvoke, admin], fn, exposure: { public: true, crossAccount: false, outsideTriggers: 0 }, unusedShare: null });
});

describe("a risk score without suppressed findings (riskWithout)", () => {
  it("drops the exposure a suppressed public-invoke finding caused, from the score and the explanation", () => {
    // When the public-invoke finding is suppressed
    const after = riskWithout(risk, new Set([findingFingerprint(publicInvoke)]));
    // Then the explanation no longer says anyone can invoke it, and the score lost its 10 exposure points
    expect(risk.explanation.join(" ")).toContain("anyone can invoke it");
    expect(after.explanation.join(" ")).not.toContain("anyone can invoke it");
    expect(after.components.exposure).toBe(risk.components.exposure - 10);
    expect(after.score).toBe(risk.score - 10);
  });

  it("drops a suppressed finding's capability and lowers the severity to what remains", () => {
    // When the admin-access finding is suppressed
    const after = riskWithout(risk, new Set([findingFingerprint(admin)]));
    // Then the worst capability is no longer that finding, and the function is no longer critical
    expect(risk.explanation[0]).toContain("Administrator access");
    expect(after.explanation[0]).not.toContain("Administrator access");
    expect(after.components.capability).toBeLessThan(risk.components.capability);
    expect(risk.severity).toBe("critical");
    expect(after.severity).not.toBe("critical");
  });

  it("changes nothing when no finding of the function is suppressed", () => {
    expect(riskWithout(risk, new Set(["someone-else's-fingerprint"]))).toBe(risk);
  });
});
