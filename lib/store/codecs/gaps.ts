/** A scan's coverage gaps: what it could not read. */
import { z } from "zod";
import type { CoverageGap } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const gapsSchema = z.array(
  z.looseObject({ accountId: z.string().nullable(), region: z.string().nullable(), api: z.string(), file: z.string().nullable(), message: z.string(), resources: z.array(z.string()).optional() }),
);

export const gapsCodec = jsonColumn<CoverageGap[]>("scans", "gaps", gapsSchema);
