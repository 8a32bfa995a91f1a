import { describe, expect, it } from "vitest";
import { CrawlFlagsError, parseCrawlFlags } from "@/lib/collect/crawl-organization";

describe("parseCrawlFlags", () => {
  it("maps every scan --aws flag to crawl options", () => {
    // Given every flag as node:util parseArgs returns them
    const values = { aws: true, org: true, accounts: "222222222222,333333333333", regions: ["us-east-1", "eu-west-1"], "assume-role": "AuditRole", "external-id": "acme-2025", "last-accessed": true, "save-snapshot": "/tmp/snap", profile: "mgmt" };

    // When they are parsed
    const options = parseCrawlFlags(values);

    // Then each lands in its option, and unrelated flags (aws) are ignored
    expect(options).toEqual({
      org: true,
      accounts: ["222222222222", "333333333333"],
      regions: ["us-east-1", "eu-west-1"],
      assumeRoleName: "AuditRole",
      externalId: "acme-2025",
      lastAccessed: true,
      saveSnapshotDir: "/tmp/snap",
      profile: "mgmt",
    });
  });

  it("defaults to the caller's account, every enabled region, no last-accessed", () => {
    // Given no flags
    // When parsed
    const options = parseCrawlFlags({});

    // Then the defaults apply
    expect(options).toEqual({ org: false, lastAccessed: false });
  });

  it("names the flag and the bad value of an invalid account id", () => {
    // Given an account id that is not 12 digits
    // When parsed, Then the error names the flag, the value and the rule
    expect(() => parseCrawlFlags({ accounts: "222222222222 12345" })).toThrow(new CrawlFlagsError('invalid flags for scan --aws: --accounts ("12345"): must be a 12-digit AWS account id'));
  });

  it("rejects a role ARN where a role name is expected", () => {
    // Given --assume-role with an ARN
    // When parsed, Then the message says a name is expected
    expect(() => parseCrawlFlags({ org: true, "assume-role": "arn:aws:iam::111111111111:role/Audit" })).toThrow(/--assume-role: must be an IAM role name .*not an ARN/);
  });

  it("reports every bad flag at once", () => {
    // Given a bad region and a non-boolean --org
    // When parsed, Then both are listed
    expect(() => parseCrawlFlags({ org: "yes", regions: "us-east-1,mars-1" })).toThrow(/--org: expected boolean; --regions \("mars-1"\): must be a region name/);
  });

  it("rejects --external-id when no role is ever assumed", () => {
    // Given --external-id without --org or --accounts
    // When parsed, Then the message says how to use it
    expect(() => parseCrawlFlags({ "external-id": "abc123" })).toThrow(/--external-id is only used when assuming a role/);
  });
});
