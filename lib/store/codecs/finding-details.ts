/** A finding's `details`: the statements it cites, its actions and resources, its escalation path. */
import { z } from "zod";
import type { EscalationPath, StatementRef } from "@/lib/analysis/types";
import { jsonColumn } from "./json-column";

export interface FindingDetails {
  statements: StatementRef[];
  actions: string[];
  resources: string[];
  escalation?: EscalationPath | null;
}

export const findingDetailsCodec = jsonColumn<FindingDetails>(
  "findings",
  "details",
  z.looseObject({
    statements: z.array(z.looseObject({ kind: z.string(), policyName: z.string(), statementIndex: z.number() })),
    actions: z.array(z.string()),
    resources: z.array(z.string()),
    escalation: z.looseObject({ method: z.string(), title: z.string() }).nullable().optional(),
  }),
);
