"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { env } from "@/lib/env";
import { cancelScan, configuredSource, ScanBusyError, startScan } from "@/lib/jobs/scan-runner";
import { authorize } from "@/lib/server/authorize";
import { getDb } from "@/lib/server/db";

export interface RescanState {
  error?: string;
  scanId?: number;
}

/** Starts a rescan of the configured source in the background. */
export async function startRescanAction(_previous: RescanState, form: FormData): Promise<RescanState> {
  await authorize();
  try {
    // Unchecked: accounts whose inputs did not change keep their stored analysis (incremental rescan).
    const full = form.get("full") === "on";
    const scanId = await startScan(await getDb(), configuredSource(env()), { full, readCacheDir: env().readCacheDir });
    revalidatePath("/scans");
    return { scanId };
  } catch (error) {
    return { error: error instanceof ScanBusyError ? error.message : `The scan could not start: ${(error as Error).message}` };
  }
}

const cancelInput = z.object({ scanId: z.coerce.number().int().positive() });

export async function cancelScanAction(form: FormData): Promise<void> {
  const parsed = cancelInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return;
  await authorize();
  cancelScan(parsed.data.scanId);
  revalidatePath("/scans");
}
