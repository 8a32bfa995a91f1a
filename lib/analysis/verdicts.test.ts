import { describe, expect, it } from "vitest";
import type { CoverageGap } from "@/lib/snapshot/types";
import { functionSeverity, incompleteInputs, type GapSubject } from "./verdicts";

describe("functionSeverity (the one severity rule)", () => {
  it("is never below the worst unsuppressed finding", () => {
    // Given a function scoring 17 (low band) with a high finding (an access key in its environment)
    // When / Then it is high
    expect(functionSeverity(17, ["low", "high"])).toBe("high");
  });

  it("keeps critical for a critical finding: a score in the critical band alone is high", () => {
    expect(functionSeverity(70, ["high"])).toBe("high");
    expect(functionSeverity(40, ["critical"])).toBe("critical");
  });

  it("is the score's band when no finding is worse", () => {
    expect(functionSeverity(20, ["low"])).toBe("medium");
    expect(functionSeverity(3, [])).toBe("info");
  });
});

describe("incompleteInputs", () => {
  const ACCOUNT = "222222222222";
  const gap = (accountId: string | null, region: string | null, api: string, message: string, extra: Partial<CoverageGap> = {}): CoverageGap => ({ accountId, region, api, file: null, message, ...extra });
  const fn = (name: string, region = "us-east-1", role = "app-role", rolePolicyArns: string[] = []): GapSubject => ({
    arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`,
    name,
    accountId: ACCOUNT,
    region,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    rolePolicyArns,
  });
  /** Which of these functions a gap leaves incomplete. */
  const marked = (g: CoverageGap, fns: GapSubject[]) => fns.filter((f) => incompleteInputs(f, [g]).length > 0).map((f) => f.name);
  const [orders, billing, reports, euWorker] = [fn("orders"), fn("billing", "us-east-1", "billing-role"), fn("reports", "us-east-1", "reports-role", [`arn:aws:iam::${ACCOUNT}:policy/reports-access`]), fn("eu-worker", "eu-west-1")];
  const all = [orders, billing, reports, euWorker];

  it("lists the gaps of the function's account and region, and organization-wide ones, with the error's name", () => {
    // Given gaps in its region, in another region, in another account, account-wide and organization-wide
    const gaps = [
      gap(ACCOUNT, "us-east-1", "lambda:ListEventSourceMappings", "AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/audit is not authorized"),
      gap(ACCOUNT, "eu-west-1", "lambda:ListEventSourceMappings", "AccessDeniedException: no"),
      gap("333333333333", null, "iam:GetAccountAuthorizationDetails", "AccessDenied: no"),
      gap(ACCOUNT, null, "iam:GenerateServiceLastAccessedDetails", "ThrottlingException: Rate exceeded"),
      gap(null, null, "organizations:DescribePolicy", "SCP p-1 is attached to r-1 but its content was not collected"),
    ];
    // When the function in 222222222222 / us-east-1 is judged
    const out = incompleteInputs(orders, gaps);
    // Then three gaps touch it
    expect(out).toEqual([
      { api: "iam:GenerateServiceLastAccessedDetails", reason: "ThrottlingException" },
      { api: "lambda:ListEventSourceMappings", reason: "AccessDeniedException" },
      { api: "organizations:DescribePolicy", reason: "SCP p-1 is attached to r-1 but its content was not collected" },
    ]);
  });

  it("is empty when nothing touches the function", () => {
    expect(incompleteInputs(orders, [])).toEqual([]);
  });

  it("marks only the functions a failed lambda:GetPolicy names, not their neighbours", () => {
    // Given GetPolicy denied for orders alone (the crawl names the functions it failed for)
    const g = gap(ACCOUNT, "us-east-1", "lambda:GetPolicy", "AccessDeniedException: no (1 of 3 functions: orders)", { resources: [orders.arn] });
    // Then orders is incomplete and billing, reports and the EU worker are not
    expect(marked(g, all)).toEqual(["orders"]);
  });

  it("marks only the function whose snapshot file a gap names", () => {
    // Given a snapshot directory whose gap file explains a missing get-policy file for billing
    const g = gap(ACCOUNT, "us-east-1", "lambda:GetPolicy", "AccessDenied", { file: `accounts/${ACCOUNT}/regions/us-east-1/lambda/get-policy/billing.json` });
    // Then billing alone is incomplete
    expect(marked(g, all)).toEqual(["billing"]);
  });

  it("marks the functions of a region when its event source mappings could not be listed", () => {
    const g = gap(ACCOUNT, "us-east-1", "lambda:ListEventSourceMappings", "AccessDeniedException: no");
    expect(marked(g, all)).toEqual(["orders", "billing", "reports"]);
  });

  it("marks the functions executing as a role whose IAM read failed", () => {
    // Given last-accessed data denied for billing-role (by ARN), and a rejected last-accessed file for app-role
    const byArn = gap(ACCOUNT, null, "iam:GenerateServiceLastAccessedDetails", "role billing-role: AccessDenied", { resources: [billing.roleArn] });
    const byFile = gap(ACCOUNT, null, "iam:GenerateServiceLastAccessedDetails", "AccessDenied", { file: `accounts/${ACCOUNT}/iam/service-last-accessed/app-role.json` });
    // Then only their functions are incomplete
    expect(marked(byArn, all)).toEqual(["billing"]);
    expect(marked(byFile, all)).toEqual(["orders", "eu-worker"]);
  });

  it("marks the functions whose role has a managed policy that could not be read", () => {
    const g = gap(ACCOUNT, null, "managed-policy", "customer-managed policy … is attached but missing from Policies", { resources: [`arn:aws:iam::${ACCOUNT}:policy/reports-access`] });
    expect(marked(g, all)).toEqual(["reports"]);
  });

  it("marks every function of the account when an account-wide read failed", () => {
    const g = gap(ACCOUNT, null, "iam:GetAccountAuthorizationDetails", "AccessDenied: no");
    expect(marked(g, all)).toEqual(["orders", "billing", "reports", "eu-worker"]);
  });
});
