"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { canFunction } from "@/lib/analysis/policy/can";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import type { AccessDecision } from "@/lib/analysis/types";
import { authorize } from "@/lib/server/authorize";
import { getDb } from "@/lib/server/db";
import { functionAccount } from "@/lib/queries/function-detail";
import { findingSubject } from "@/lib/queries/suppression-register";
import { loadSnapshot } from "@/lib/store/load-snapshot";
import { deleteSuppressions, saveSuppression } from "@/lib/store/suppressions";

const canItInput = z.object({
  scanId: z.coerce.number().int().positive(),
  functionArn: z.string().startsWith("arn:aws"),
  action: z.string().trim().regex(/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/, "Use service:Action, e.g. s3:GetObject"),
  resource: z.string().trim().min(1, "Give a resource ARN or *").max(2048),
});

/** What the user typed into a form, handed back so the form shows it again (React resets a form after its action). */
function typed<K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, typeof form.get(n) === "string" ? (form.get(n) as string) : ""])) as Record<K, string>;
}

export interface CanItState {
  error?: string;
  result?: Pick<AccessDecision, "decision" | "conditional" | "summary" | "allowedBy" | "deniedBy"> & { action: string; resource: string };
  /** The question as typed: the fields keep it after every answer, so the next question is one edit away. */
  values?: { action: string; resource: string };
}

/** The dashboard's "can it?" form: the same engine as `saltzer can`. */
export async function canItAction(_previous: CanItState, form: FormData): Promise<CanItState> {
  const values = typed(form, ["action", "resource"] as const);
  const parsed = canItInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; "), values };
  await authorize();
  const { scanId, functionArn, action, resource } = parsed.data;
  const db = await getDb();
  const accountId = await functionAccount(scanId, functionArn);
  if (!accountId) return { error: "That function is not in this scan.", values };
  const snapshot = await loadSnapshot(db, scanId, { accountIds: [accountId] });
  try {
    const d = await canFunction(indexSnapshot(snapshot), functionArn, action, resource);
    return { result: { decision: d.decision, conditional: d.conditional, summary: d.summary, allowedBy: d.allowedBy, deniedBy: d.deniedBy, action, resource }, values };
  } catch (error) {
    return { error: (error as Error).message, values };
  }
}

const suppressInput = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  reason: z.string().trim().min(3, "Say why (at least 3 characters)").max(500),
  expiresAt: z
    .string()
    .optional()
    .transform((v) => (v ? new Date(`${v}T23:59:59Z`) : null))
    .refine((d) => d === null || (!Number.isNaN(d.getTime()) && d.getTime() > Date.now()), "The expiry must be a future date"),
  path: z.string().startsWith("/"),
});

export interface SuppressState {
  error?: string;
  /** The field the error is about, so the form can mark it and put the cursor there. */
  invalidField?: "reason" | "expiresAt";
  /** What was typed: a rejected expiry must not cost the user the reason they wrote. */
  values?: { reason: string; expiresAt: string };
  done?: boolean;
}

/** Suppress a finding (by fingerprint, so it stays suppressed in later scans) with a reason. */
export async function suppressFindingAction(_previous: SuppressState, form: FormData): Promise<SuppressState> {
  const values = typed(form, ["reason", "expiresAt"] as const);
  const parsed = suppressInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return { error: parsed.error.issues.map((i) => i.message).join("; "), invalidField: field === "reason" || field === "expiresAt" ? field : undefined, values };
  }
  await authorize();
  const { fingerprint, reason, expiresAt, path } = parsed.data;
  const db = await getDb();
  // The register names the function and rule even after a later scan stops seeing the finding.
  const subject = await findingSubject(db, fingerprint);
  await saveSuppression(db, { fingerprint, reason, expiresAt, createdBy: "dashboard", functionArn: subject?.functionArn ?? null, ruleId: subject?.ruleId ?? null });
  revalidatePath(path);
  return { done: true };
}

const unsuppressInput = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{32}$/), path: z.string().startsWith("/") });

export async function unsuppressFindingAction(form: FormData): Promise<void> {
  const parsed = unsuppressInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return;
  await authorize();
  const db = await getDb();
  await deleteSuppressions(db, [parsed.data.fingerprint]);
  revalidatePath(parsed.data.path);
}
