import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FINDING_CATEGORIES } from "@/lib/analysis/types";
import { evaluateRules, RULES } from "./index";
import { context, grant, lambdaFunction, perms } from "@/test/builders/rule-fixtures";

describe("rule catalogue", () => {
  it("has one kebab-case file per rule, a known category and references", () => {
    // Given the catalogue / When each rule is checked / Then ids, files, categories and references are sound
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(existsSync(path.join(__dirname, `${rule.id}.ts`))).toBe(true);
      expect(FINDING_CATEGORIES).toContain(rule.category);
      expect(rule.references.length).toBeGreaterThan(0);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe("evaluateRules", () => {
  it("fills rule metadata and sorts by severity", () => {
    // Given a deprecated runtime (medium) and s3:* on * (high)
    const fn = lambdaFunction("app", { runtime: "python3.8" });
    const p = perms(fn.roleArn, [
      grant({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"] }),
      grant({ actions: ["s3:GetObject", "s3:PutObject"], source: { statementIndex: 1 } }),
    ]);
    // When
    const findings = evaluateRules(context(fn, { perms: p }));
    // Then the high findings come first and carry the function ARN
    expect(findings[0].severity).toBe("high");
    expect(findings.at(-1)?.ruleId).toBe("deprecated-runtime");
    expect(findings.every((f) => f.functionArn === fn.arn)).toBe(true);
  });
});
