/** An IAM policy document as stored (identity, boundary, trust, resource and managed policies). */
import { z } from "zod";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

const statement = z.looseObject({ Effect: z.enum(["Allow", "Deny"]) });

/** IAM accepts one statement object in place of the array; both are stored as read. */
export const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([z.array(statement), statement]),
});

export const resourcePolicyCodec = jsonColumn<PolicyDocument | null>("functions", "resource_policy", policyDocumentSchema.nullable());
export const trustPolicyCodec = jsonColumn<PolicyDocument>("roles", "assume_role_policy", policyDocumentSchema);
export const managedPolicyDocumentCodec = jsonColumn<PolicyDocument>("managed_policies", "document", policyDocumentSchema);
