import { z } from "zod";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { SnapshotError, describeJsonSyntaxError, snapshotErrorFromZod } from "@/lib/snapshot/snapshot-error";

const stringOrStrings = z.union([z.string(), z.array(z.string())]);
const principalSchema = z.union([z.literal("*"), z.record(z.string(), stringOrStrings)]);
const conditionValue = z.union([z.string(), z.boolean(), z.number(), z.array(z.union([z.string(), z.boolean(), z.number()]))]);

const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"]),
    Action: stringOrStrings.optional(),
    NotAction: stringOrStrings.optional(),
    Resource: stringOrStrings.optional(),
    NotResource: stringOrStrings.optional(),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Condition: z.record(z.string(), z.record(z.string(), conditionValue)).optional(),
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
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.union([statementSchema, z.array(statementSchema)]),
});

/**
 * Parse an IAM policy document as it appears in AWS output: an object (AWS CLI output of
 * get-account-authorization-details), a URL-encoded JSON string (the raw IAM API, RFC 3986),
 * or a plain JSON string (lambda get-policy, organizations describe-policy).
 * `Statement` is normalized to an array; each statement is kept as written.
 * Throws a SnapshotError naming `where.file` and the JSON path below `where.path`.
 */
export function parsePolicyDocument(raw: unknown, where: { file: string; path: string }): PolicyDocument {
  const value = typeof raw === "string" ? decodePolicyString(raw, where) : raw;
  const result = documentSchema.safeParse(value);
  if (!result.success) throw snapshotErrorFromZod(where.file, where.path, result.error);
  const { Statement, ...rest } = result.data;
  return { ...rest, Statement: Array.isArray(Statement) ? Statement : [Statement] };
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
    return JSON.parse(json);
  } catch (error) {
    throw new SnapshotError(where.file, where.path, `policy string is not valid JSON: ${describeJsonSyntaxError(error, json)}`);
  }
}
