import { describe, expect, it } from "vitest";
import { SAMPLE, saltzer } from "./test-support";

describe("saltzer can", () => {
  it("prints DENIED first and names the SCP that denies", () => {
    // Given trail-maintenance, whose role allows cloudtrail:StopLogging but an SCP denies it
    const result = saltzer(["can", "trail-maintenance", "cloudtrail:StopLogging", "*", "--snapshot", SAMPLE], {});
    // Then the first line is the decision and the reason names the SCP statement
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("DENIED");
    expect(result.stdout).toMatch(/SCP "DenyLeaveOrgAndAuditTampering" statement #1/);
  });

  it("answers in JSON with the statement that allows", () => {
    // Given deploy-helper and the role it can pass
    const result = saltzer(["can", "deploy-helper", "iam:PassRole", "arn:aws:iam::222222222222:role/data-admin-role", "--json", "--snapshot", SAMPLE], {});
    // Then the decision is allowed by the managed policy's PassDataAdmin statement
    const json = JSON.parse(result.stdout);
    expect(json.decision).toBe("allowed");
    expect(json.allowedBy[0].ref).toMatchObject({ policyName: "deploy-helper-passrole", sid: "PassDataAdmin" });
  });

  it("lists the candidates when a function name is ambiguous", () => {
    // Given orders-api, which exists in two accounts
    const result = saltzer(["can", "orders-api", "dynamodb:GetItem", "*", "--snapshot", SAMPLE], {});
    // Then it refuses with both ARNs
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ambiguous/);
    expect(result.stderr).toContain("arn:aws:lambda:us-east-1:222222222222:function:orders-api");
    expect(result.stderr).toContain("arn:aws:lambda:us-east-1:333333333333:function:orders-api");
  });
});
