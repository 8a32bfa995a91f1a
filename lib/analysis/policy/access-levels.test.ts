import { beforeAll, describe, expect, it } from "vitest";
import { accessLevelsOf, loadAccessLevels, servicesIn, splitAccessLevel } from "./access-levels";
import { grant, perms } from "@/test/builders/analysis-builders";

describe("access levels", () => {
  beforeAll(async () => {
    await loadAccessLevels(["s3", "iam"]);
  });

  it("reads a single level from iam-data", () => {
    // Given s3 is loaded / When looking up GetObject / Then it is Read
    expect(accessLevelsOf("s3:getobject")).toEqual(["Read"]);
  });

  it("splits a compound level so the action counts in each", () => {
    // Given PutBucketPolicy is "Permissions management, Write" in iam-data
    // When looking it up / Then both levels are returned
    expect(accessLevelsOf("s3:putbucketpolicy")).toEqual(["Permissions management", "Write"]);
  });

  it("returns no level for an action iam-data does not know in a loaded service", () => {
    // Given s3 is loaded / When looking up a made-up action / Then it has no level
    expect(accessLevelsOf("s3:notanaction")).toEqual([]);
  });

  it("refuses to answer for a service that was never loaded", () => {
    // Given dynamodb was not loaded / When looking up one of its actions / Then it throws, naming the fix
    expect(() => accessLevelsOf("dynamodb:getitem")).toThrow(/loadAccessLevels/);
  });

  it("rejects an access level it does not know", () => {
    // Given a level name outside the five / When splitting it / Then it throws
    expect(() => splitAccessLevel("Administer")).toThrow(/Unknown IAM access level/);
  });

  it("lists the services used by permissions", () => {
    // Given grants over s3 and sqs / When collecting services / Then both prefixes are returned
    const p = perms("r", [grant(["s3:getobject", "sqs:sendmessage"])]);
    expect([...servicesIn([p])].sort()).toEqual(["s3", "sqs"]);
  });
});
