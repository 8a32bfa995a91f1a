import { describe, expect, it } from "vitest";
import { attachedPolicyKind, isAwsManagedPolicyArn } from "./aws-managed-policy-arn";

describe("isAwsManagedPolicyArn", () => {
  it.each(["aws", "aws-cn", "aws-us-gov", "aws-iso-b"])("recognises AWS-managed policies in the %s partition", (partition) => {
    // Given the partition's AdministratorAccess, when asked, then it is AWS-managed
    expect(isAwsManagedPolicyArn(`arn:${partition}:iam::aws:policy/AdministratorAccess`)).toBe(true);
    expect(attachedPolicyKind(`arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`)).toBe("aws-managed");
  });

  it("leaves a customer's policy and look-alike ARNs customer-managed", () => {
    // Given policies of an account, and ARNs that only resemble the reserved account
    for (const arn of ["arn:aws-cn:iam::333333333333:policy/app", "arn:aws:iam::aws-prod:policy/app", "arn:awsx:iam::aws:policy/X", "arn:aws:iam::aws:role/x"]) {
      // Then none of them is AWS-managed
      expect(isAwsManagedPolicyArn(arn), arn).toBe(false);
      expect(attachedPolicyKind(arn)).toBe("customer-managed");
    }
  });
});
