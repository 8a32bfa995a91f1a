import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "@/lib/snapshot/parse-policy-document";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";

const WHERE = { file: "accounts/222222222222/iam/get-account-authorization-details.json", path: "$.RoleDetailList[0].RolePolicyList[0].PolicyDocument" };
const DOC = {
  Version: "2012-10-17",
  Statement: [{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::acme/*"], Condition: { Bool: { "aws:SecureTransport": "true" } } }],
};

function errorOf(raw: unknown): string {
  try {
    parsePolicyDocument(raw, WHERE);
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return (error as SnapshotError).message;
  }
  throw new Error("expected parsePolicyDocument to throw");
}

describe("parsePolicyDocument", () => {
  it("keeps an object document's statements as written", () => {
    // Given a policy document object / When parsed / Then it is unchanged (single strings stay strings)
    expect(parsePolicyDocument(DOC, WHERE)).toEqual(DOC);
  });

  it("decodes a URL-encoded JSON string", () => {
    // Given the raw IAM API's RFC 3986 encoding / When parsed / Then it equals the object form
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(DOC)), WHERE)).toEqual(DOC);
  });

  it("parses a plain JSON string that itself contains percent signs", () => {
    // Given a JSON string whose condition value has a literal % / When parsed / Then the % is kept
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { StringLike: { "aws:UserAgent": "*%20*" } } }] };
    expect(parsePolicyDocument(JSON.stringify(doc), WHERE)).toEqual(doc);
  });

  it("wraps a single Statement object in an array", () => {
    // Given a document whose Statement is one object / When parsed / Then Statement is a one-element array
    expect(parsePolicyDocument({ Version: "2012-10-17", Statement: DOC.Statement[0] }, WHERE).Statement).toEqual(DOC.Statement);
  });

  it("drops unknown fields inside a statement", () => {
    // Given a statement with a field IAM does not define / When parsed / Then the field is gone
    const parsed = parsePolicyDocument({ Statement: [{ ...DOC.Statement[0], Comment: "x" }] }, WHERE);
    expect(parsed.Statement[0]).not.toHaveProperty("Comment");
  });

  it("rejects a statement with neither Action nor NotAction", () => {
    // Given a statement missing its action / When parsed / Then the error points at the statement
    expect(errorOf({ Statement: [{ Effect: "Allow", Resource: "*" }] })).toBe(`${WHERE.file}: ${WHERE.path}.Statement[0]: statement has neither Action nor NotAction`);
  });

  it("rejects a statement with both Action and NotAction", () => {
    // Given a contradictory statement / When parsed / Then the error says so
    expect(errorOf({ Statement: { Effect: "Deny", Action: "s3:*", NotAction: "iam:*", Resource: "*" } })).toBe(`${WHERE.file}: ${WHERE.path}.Statement: statement has both Action and NotAction`);
  });

  it("rejects an Effect other than Allow or Deny", () => {
    // Given Effect "allow" in lower case / When parsed / Then the error names the Effect path
    expect(errorOf({ Statement: [{ Effect: "allow", Action: "s3:*" }] })).toBe(`${WHERE.file}: ${WHERE.path}.Statement[0].Effect: expected one of "Allow", "Deny"`);
  });

  it("rejects a document without Statement", () => {
    // Given a document with only a Version / When parsed / Then the missing Statement is named
    expect(errorOf({ Version: "2012-10-17" })).toBe(`${WHERE.file}: ${WHERE.path}.Statement: expected object or array, but it is missing`);
  });

  it("rejects an Action that is a number", () => {
    // Given an Action of the wrong type / When parsed / Then the error names it
    expect(errorOf({ Statement: [{ Effect: "Allow", Action: 7 }] })).toBe(`${WHERE.file}: ${WHERE.path}.Statement[0].Action: expected string or array`);
  });

  it("rejects a string that is neither JSON nor URL-encoded JSON", () => {
    // Given a malformed percent escape / When parsed / Then the error says what was wrong
    expect(errorOf("%E0%A4%A")).toBe(`${WHERE.file}: ${WHERE.path}: policy string is neither JSON nor valid URL-encoded JSON`);
  });
});
