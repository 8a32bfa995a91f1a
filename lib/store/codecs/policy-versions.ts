/** A managed policy's non-default versions: what iam:SetDefaultPolicyVersion can switch to. */
import { z } from "zod";
import type { PolicyVersion } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";
import { policyDocumentSchema } from "./policy-document";

export const otherVersionsCodec = jsonColumn<PolicyVersion[]>(
  "managed_policies",
  "other_versions",
  z.array(z.looseObject({ versionId: z.string().nullable(), document: policyDocumentSchema })),
);
