/** A function's environment: variable names and "looks like a secret" flags, never values. */
import { z } from "zod";
import type { EnvironmentVariable } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const environmentCodec = jsonColumn<EnvironmentVariable[]>(
  "functions",
  "environment",
  z.array(z.looseObject({ name: z.string(), looksSecret: z.boolean(), secretReason: z.string().nullable() })),
);
