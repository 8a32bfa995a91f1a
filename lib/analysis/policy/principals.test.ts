import { describe, expect, it } from "vitest";
import { admitsEveryone, principalAccount, principalsOf, wholeAccountPrincipal } from "./principals";

describe("reading a Principal element", () => {
  it("lists one kind of principal whether written as a string or a list", () => {
    expect(principalsOf({ AWS: "111111111111" }, "AWS")).toEqual(["111111111111"]);
    expect(principalsOf({ Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, "Service")).toHaveLength(2);
    expect(principalsOf("*", "AWS")).toEqual(["*"]);
    expect(principalsOf(undefined, "AWS")).toEqual([]);
  });

  it("sees everyone in *, AWS * and CanonicalUser *, not in an account", () => {
    expect([admitsEveryone("*"), admitsEveryone({ AWS: ["111111111111", "*"] }), admitsEveryone({ CanonicalUser: "*" })]).toEqual([true, true, true]);
    expect(admitsEveryone({ AWS: "111111111111" })).toBe(false);
  });

  it.each(["aws", "aws-cn", "aws-us-gov"])("finds the account of a role, a session and a root in the %s partition", (partition) => {
    expect(principalAccount(`arn:${partition}:iam::222222222222:role/x`)).toBe("222222222222");
    expect(principalAccount(`arn:${partition}:sts::222222222222:assumed-role/x/s`)).toBe("222222222222");
    expect(wholeAccountPrincipal(`arn:${partition}:iam::222222222222:root`)).toBe("222222222222");
  });

  it("names a whole account only by its id or root, never by one of its roles", () => {
    expect(wholeAccountPrincipal("222222222222")).toBe("222222222222");
    expect(wholeAccountPrincipal("arn:aws:iam::222222222222:role/x")).toBeNull();
    expect(principalAccount("*")).toBeNull();
  });
});
