import { describe, expect, it } from "vitest";
import { functionSeverity, incompleteInputs } from "./verdicts";

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
  const gap = (accountId: string | null, region: string | null, api: string, message: string) => ({ accountId, region, api, file: null, message });

  it("lists the gaps of the function's account and region, and organization-wide ones, with the error's name", () => {
    // Given gaps in its region, in another region, in another account, account-wide and organization-wide
    const gaps = [
      gap("222222222222", "us-east-1", "lambda:GetPolicy", "AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/audit is not authorized"),
      gap("222222222222", "eu-west-1", "lambda:ListEventSourceMappings", "AccessDeniedException: no"),
      gap("333333333333", null, "iam:GetAccountAuthorizationDetails", "AccessDenied: no"),
      gap("222222222222", null, "iam:GenerateServiceLastAccessedDetails", "ThrottlingException: Rate exceeded"),
      gap(null, null, "organizations:DescribePolicy", "SCP p-1 is attached to r-1 but its content was not collected"),
    ];
    // When the function in 222222222222 / us-east-1 is judged
    const out = incompleteInputs({ accountId: "222222222222", region: "us-east-1" }, gaps);
    // Then three gaps touch it
    expect(out).toEqual([
      { api: "iam:GenerateServiceLastAccessedDetails", reason: "ThrottlingException" },
      { api: "lambda:GetPolicy", reason: "AccessDeniedException" },
      { api: "organizations:DescribePolicy", reason: "SCP p-1 is attached to r-1 but its content was not collected" },
    ]);
  });

  it("is empty when nothing touches the function", () => {
    expect(incompleteInputs({ accountId: "222222222222", region: "us-east-1" }, [])).toEqual([]);
  });
});
