/** A function's risk score with its components, explanation and (in scans stored since) its parts. */
import { z } from "zod";
import { SEVERITIES, type RiskScore, type Severity } from "@/lib/analysis/types";
import { jsonColumn } from "./json-column";

export const severitySchema = z.enum(SEVERITIES as [Severity, ...Severity[]]);

const capability = z.looseObject({ points: z.number(), why: z.string() });

/** Each part's share, which `riskWithout` removes when its finding is suppressed; absent in scans stored before them. */
const partsSchema = z.looseObject({
  pathCapability: capability,
  radiusCapability: capability,
  findings: z.array(capability.extend({ fingerprint: z.string(), severity: severitySchema, exposure: z.enum(["public", "cross-account"]).nullable() })),
  exposure: z.looseObject({ public: z.boolean(), crossAccount: z.boolean(), outsideTriggers: z.number() }),
  services: z.number(),
  wildcardServices: z.number(),
  reachableFunctions: z.number(),
  roles: z.number(),
  unusedShare: z.number().nullable(),
  notes: z.array(z.string()),
});

export const riskCodec = jsonColumn<RiskScore | null>(
  "functions",
  "risk",
  z
    .looseObject({
      score: z.number(),
      severity: severitySchema,
      components: z.looseObject({ capability: z.number(), breadth: z.number(), exposure: z.number(), reach: z.number(), unused: z.number() }),
      explanation: z.array(z.string()),
      parts: partsSchema.optional(),
    })
    .nullable(),
);
