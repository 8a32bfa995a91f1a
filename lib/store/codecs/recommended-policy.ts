/** A function's recommended least-privilege policy. */
import { z } from "zod";
import type { RecommendedPolicy } from "@/lib/analysis/types";
import { jsonColumn } from "./json-column";
import { policyDocumentSchema } from "./policy-document";

export const recommendedPolicyCodec = jsonColumn<RecommendedPolicy | null>(
  "functions",
  "recommended_policy",
  z
    .looseObject({
      document: policyDocumentSchema,
      confidence: z.enum(["usage-data", "configuration-only"]),
      notes: z.array(z.string()),
      diff: z.string(),
      removedActions: z.array(z.string()),
      removedActionCount: z.number(),
    })
    .nullable(),
);
