/** A role's inline policies: `[{ name, document }]`. */
import { z } from "zod";
import type { InlinePolicy } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";
import { policyDocumentSchema } from "./policy-document";

export const inlinePoliciesCodec = jsonColumn<InlinePolicy[]>("roles", "inline_policies", z.array(z.looseObject({ name: z.string(), document: policyDocumentSchema })));
