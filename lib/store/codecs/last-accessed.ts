/** Service-last-accessed data per role name: what each role really used. */
import { z } from "zod";
import type { ServiceLastAccessed } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const lastAccessedCodec = jsonColumn<Record<string, ServiceLastAccessed[]>>(
  "accounts",
  "last_accessed",
  z.record(z.string(), z.array(z.looseObject({ serviceNamespace: z.string(), lastAuthenticated: z.string().nullable() }))),
);
