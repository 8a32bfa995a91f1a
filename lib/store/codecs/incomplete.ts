/** The reads a scan could not make for one function's inputs: `[{ api, reason }]`, empty when complete. */
import { z } from "zod";
import type { IncompleteInput } from "@/lib/analysis/verdicts";
import { jsonColumn } from "./json-column";

export const incompleteSchema = z.array(z.looseObject({ api: z.string(), reason: z.string() }));

export const incompleteCodec = jsonColumn<IncompleteInput[]>("functions", "incomplete", incompleteSchema);
