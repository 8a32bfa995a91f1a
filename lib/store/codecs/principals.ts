/** An account's IAM users and groups, as the snapshot keeps them for escalation checks. */
import { z } from "zod";
import type { Group, User } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";
import { policyDocumentSchema } from "./policy-document";

const inline = z.array(z.looseObject({ name: z.string(), document: policyDocumentSchema }));

export const usersCodec = jsonColumn<User[]>(
  "accounts",
  "users",
  z.array(z.looseObject({ arn: z.string(), name: z.string(), inlinePolicies: inline, attachedPolicyArns: z.array(z.string()), groupNames: z.array(z.string()) })),
);
export const groupsCodec = jsonColumn<Group[]>("accounts", "groups", z.array(z.looseObject({ arn: z.string(), name: z.string(), inlinePolicies: inline, attachedPolicyArns: z.array(z.string()) })));
