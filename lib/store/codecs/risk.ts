/** A function's risk score with its components and explanation. */
import { z } from "zod";
import { SEVERITIES, type RiskScore, type Severity } from "@/lib/analysis/types";
import { jsonColumn } from "./json-column";

export const severitySchema = z.enum(SEVERITIES as [Severity, ...Severity[]]);

export const riskCodec = jsonColumn<RiskScore | null>(
  "functions",
  "risk",
  z.looseObject({ score: z.number(), severity: severitySchema, components: z.record(z.string(), z.number()), explanation: z.array(z.string()) }).nullable(),
);
