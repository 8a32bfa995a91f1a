"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/server/authorize";
import { getDb } from "@/lib/server/db";
import { deleteSuppressions } from "@/lib/store/suppressions";

const unsuppressInput = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{32}$/, "Not a finding fingerprint") });

export interface UnsuppressState {
  error?: string;
  /** The fingerprint just removed (the page says so). */
  removed?: string;
}

/** Unsuppress from the register: the same store write as the function page's Unsuppress. */
export async function unsuppressFromRegisterAction(_previous: UnsuppressState, form: FormData): Promise<UnsuppressState> {
  const parsed = unsuppressInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; ") };
  await authorize();
  const removed = await deleteSuppressions(await getDb(), [parsed.data.fingerprint]);
  if (removed === 0) return { error: "That suppression no longer exists (someone removed it already)." };
  // The finding is back on every surface: the register, the risk view, the overview, the function page.
  revalidatePath("/", "layout");
  return { removed: parsed.data.fingerprint };
}
