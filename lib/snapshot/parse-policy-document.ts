import { z } from "zod";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { SnapshotError, snapshotErrorFromZod } from "@/lib/snapshot/snapshot-error";
import { parseStrictJsonText } from "@/lib/snapshot/strict-json";

/**
 * Policy text: IAM documents hold only tab, line feed, carriage return and U+0020-U+00FF
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); Lambda and
 * Organizations policies are not documented as strictly, so only control characters are refused.
 * An element (action, resource, principal, key) is at most an ARN's 2048 characters.
 */
const policyText = (max: number) =>
  z
    .string()
    .max(max, { message: `longer than ${max} characters` })
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, { message: "contains control characters" });
const element = policyText(2048);
const stringOrStrings = z.union([element, z.array(element)]);
const principalSchema = z.union([z.literal("*"), z.record(element, stringOrStrings)]);
const conditionScalar = z.union([policyText(Number.MAX_SAFE_INTEGER), z.boolean(), z.number()]);
const conditionValue = z.union([conditionScalar, z.array(conditionScalar)]);

const statementSchema = z
  .object({
    Sid: policyText(2048).optional(),
    Effect: z.enum(["Allow", "Deny"]),
    Action: stringOrStrings.optional(),
    NotAction: stringOrStrings.optional(),
    Resource: stringOrStrings.optional(),
    NotResource: stringOrStrings.optional(),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Condition: z.record(element, z.record(element, conditionValue)).optional(),
  })
  .superRefine((statement, ctx) => {
    if (statement.Action === undefined && statement.NotAction === undefined)
      ctx.addIssue({ code: "custom", message: "statement has neither Action nor NotAction" });
    if (statement.Action !== undefined && statement.NotAction !== undefined)
      ctx.addIssue({ code: "custom", message: "statement has both Action and NotAction" });
    if (statement.Resource !== undefined && statement.NotResource !== undefined)
      ctx.addIssue({ code: "custom", message: "statement has both Resource and NotResource" });
    if (statement.Principal !== undefined && statement.NotPrincipal !== undefined)
      ctx.addIssue({ code: "custom", message: "statement has both Principal and NotPrincipal" });
  });

const documentSchema = z.object({
  Version: policyText(64).optional(),
  Id: policyText(2048).optional(),
  Statement: z.union([statementSchema, z.array(statementSchema)]),
});

/**
 * Parse an IAM policy document as it appears in AWS output: an object (AWS CLI output of
 * get-account-authorization-details), a URL-encoded JSON string (the raw IAM API, RFC 3986),
 * or a plain JSON string (lambda get-policy, organizations describe-policy).
 * `Statement` is normalized to an array; each statement is kept as written.
 * Throws a SnapshotError naming `where.file` and the JSON path below `where.path`.
 */
export function parsePolicyDocument(raw: unknown, where: { file: string; path: string }, limit?: PolicySizeLimit): PolicyDocument {
  const value = typeof raw === "string" ? decodePolicyString(raw, where) : raw;
  const result = documentSchema.safeParse(value);
  if (!result.success) throw snapshotErrorFromZod(where.file, where.path, result.error);
  if (limit) {
    const size = policySize(value);
    if (size > limit.maxChars) throw new SnapshotError(where.file, where.path, `${limit.what} is ${size} characters, more than the ${limit.maxChars} AWS allows`);
  }
  const { Statement, ...rest } = result.data;
  return { ...rest, Statement: Array.isArray(Statement) ? Statement : [Statement] };
}

/** A documented AWS size limit for one policy document. */
export interface PolicySizeLimit {
  maxChars: number;
  /** What the limit is for, as the message names it: "a customer-managed policy". */
  what: string;
}

/**
 * Documented AWS policy size limits (IAM: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html;
 * SCP: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html; Lambda resource policy:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Trust policies take the raised quota
 * (8,192; 2,048 by default) so a snapshot AWS accepted is never refused.
 */
export const POLICY_SIZE_LIMITS = {
  trustPolicy: { maxChars: 8192, what: "the trust policy" },
  customerManagedPolicy: { maxChars: 6144, what: "a customer-managed policy version" },
  roleInlinePolicies: { maxChars: 10240, what: "the role's inline policies together" },
  userInlinePolicies: { maxChars: 2048, what: "the user's inline policies together" },
  groupInlinePolicies: { maxChars: 5120, what: "the group's inline policies together" },
  serviceControlPolicy: { maxChars: 5120, what: "the SCP" },
  functionResourcePolicy: { maxChars: 20480, what: "the function's resource policy" },
} satisfies Record<string, PolicySizeLimit>;

/** A policy's size as IAM counts it: characters without white space. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, "").length;
}

function decodePolicyString(text: string, where: { file: string; path: string }): unknown {
  const trimmed = text.trim();
  let json = trimmed;
  // IAM returns documents URL-encoded (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html);
  // plain JSON always starts with `{`, an encoded one with `%7B`.
  if (!trimmed.startsWith("{")) {
    try {
      json = decodeURIComponent(trimmed);
    } catch {
      throw new SnapshotError(where.file, where.path, "policy string is neither JSON nor valid URL-encoded JSON");
    }
  }
  try {
    return parseStrictJsonText(json, where.file, where.path);
  } catch (error) {
    if (error instanceof SnapshotError && error.jsonPath === where.path && error.detail.startsWith("invalid JSON")) {
      throw new SnapshotError(where.file, where.path, `policy string is not valid JSON: ${error.detail}`);
    }
    throw error;
  }
}
