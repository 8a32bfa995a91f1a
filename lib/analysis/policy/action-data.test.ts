import { describe, expect, it } from "vitest";
import { accessLevelsOf, isWildcardOnly, serviceActionCount, totalActionCount } from "./action-data";

describe("accessLevelsOf", () => {
  it("splits compound levels", () => {
    // Given an action iam-data lists as "Permissions management, Write"
    // When its levels are read
    const levels = accessLevelsOf("s3:PutBucketPolicy");
    // Then both levels are returned
    expect(levels).toEqual(["Permissions management", "Write"]);
  });

  it("returns no level for an unknown action", () => {
    // Given an action that does not exist / When read / Then nothing is known
    expect(accessLevelsOf("nosuch:Thing")).toEqual([]);
  });

  it("knows wildcard-only actions", () => {
    // Given s3:ListAllMyBuckets (no resource type) and s3:GetObject (object resource)
    // When asked / Then only the first is wildcard-only
    expect(isWildcardOnly("s3:ListAllMyBuckets")).toBe(true);
    expect(isWildcardOnly("s3:GetObject")).toBe(false);
  });

  it("counts actions per service and overall", () => {
    // Given the data set / When counted / Then S3 has many actions and the total exceeds it
    expect(serviceActionCount("s3")).toBeGreaterThan(100);
    expect(totalActionCount()).toBeGreaterThan(serviceActionCount("s3") * 10);
  });
});
