import { describe, expect, it } from "vitest";
import { canonicalAction, canonicalActionsInText } from "./action-names";

describe("action names in AWS's spelling", () => {
  it("spells known actions as AWS does, in any input case", () => {
    expect(canonicalAction("dynamodb:getitem")).toBe("dynamodb:GetItem");
    expect(canonicalAction("S3:PUTOBJECT")).toBe("s3:PutObject");
    expect(canonicalAction("iam:passrole")).toBe("iam:PassRole");
  });

  it("leaves patterns and what it cannot know as written", () => {
    expect(canonicalAction("s3:get*")).toBe("s3:get*");
    expect(canonicalAction("*")).toBe("*");
    expect(canonicalAction("s3:*")).toBe("s3:*");
    expect(canonicalAction("madeup:doesthing")).toBe("madeup:doesthing");
    expect(canonicalAction("s3:nosuchaction")).toBe("s3:nosuchaction");
  });

  it("rewrites actions inside sentences but not ARNs or condition keys", () => {
    const text = 'Allows dynamodb:getitem, s3:putobject on arn:aws:s3:::reports/* when lambda:FunctionUrlAuthType is NONE (e.g. iam:passrole).';
    expect(canonicalActionsInText(text)).toBe('Allows dynamodb:GetItem, s3:PutObject on arn:aws:s3:::reports/* when lambda:FunctionUrlAuthType is NONE (e.g. iam:PassRole).');
  });
});
