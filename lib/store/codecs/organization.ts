/** The organization a scan read: members, OU tree and SCPs. */
import { z } from "zod";
import type { Organization } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const organizationCodec = jsonColumn<Organization | null>(
  "scans",
  "organization",
  z
    .looseObject({
      id: z.string(),
      managementAccountId: z.string(),
      rootIds: z.array(z.string()),
      members: z.array(z.looseObject({})),
      parents: z.record(z.string(), z.string()),
      scps: z.array(z.looseObject({})),
      scpTargets: z.record(z.string(), z.array(z.string())),
    })
    .nullable(),
);
