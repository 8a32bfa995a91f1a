/** A scan's progress as the SSE route and the scan runner read it (no `server-only`: the runner is shared with the CLI). */
import { z } from "zod";
import type { Database } from "@/lib/store/db";

/** The scan row's `progress` JSON column (written by lib/jobs/run-scan.ts), validated. */
const progressCodec = z.object({
  message: z.string().optional(),
  overall: z
    .object({
      step: z.string(),
      overall: z.number(),
      elapsedSeconds: z.number(),
      etaSeconds: z.number().nullable(),
      counts: z.object({
        accountsRead: z.number(),
        accountsTotal: z.number(),
        functionsAnalysed: z.number(),
        functionsTotal: z.number(),
        rowsStored: z.number(),
        rowsTotal: z.number(),
      }),
    })
    .optional(),
});

/** What a progress bar shows: the whole scan's fraction, the counts, the time left. */
export interface ScanProgressDetail {
  /** 0..1 over the whole scan, never decreasing. */
  overall: number;
  etaSeconds: number | null;
  elapsedSeconds: number;
  message: string | null;
  counts: { accountsRead: number; accountsTotal: number; functionsAnalysed: number; functionsTotal: number; rowsStored: number; rowsTotal: number } | null;
}

export type ScanProgress =
  | { scanId: number; status: string; phase: string | null; progress: ScanProgressDetail | null; error: string | null; functionCount: number; gaps: number }
  | { scanId: null; status: "idle" };

/** A stored progress value; one written before overall progress existed (or unreadable) shows no bar value. */
function decodeProgress(value: unknown): ScanProgressDetail | null {
  const parsed = progressCodec.safeParse(value);
  if (!parsed.success || !parsed.data.overall) return null;
  const o = parsed.data.overall;
  return { overall: o.overall, etaSeconds: o.etaSeconds, elapsedSeconds: o.elapsedSeconds, message: parsed.data.message ?? null, counts: o.counts };
}

/** The given scan's progress, or (without an id) the newest running scan's, or idle. */
export async function scanProgress(db: Database, scanId: number | null): Promise<ScanProgress> {
  const scan =
    scanId !== null ? await db.prisma.scan.findUnique({ where: { id: scanId } }) : await db.prisma.scan.findFirst({ where: { status: "running" }, orderBy: { id: "desc" } });
  if (!scan) return { scanId: null, status: "idle" };
  const finished = scan.status === "succeeded" || scan.status === "partial";
  const progress = decodeProgress(scan.progress);
  return {
    scanId: scan.id,
    status: scan.status,
    phase: scan.phase,
    progress: finished && progress ? { ...progress, overall: 1, etaSeconds: 0 } : progress,
    error: scan.error,
    functionCount: scan.functionCount,
    gaps: Array.isArray(scan.gaps) ? scan.gaps.length : 0,
  };
}

/** The id of a scan still marked running (by this or another process), or null. */
export async function runningScanId(db: Database): Promise<number | null> {
  const running = await db.prisma.scan.findFirst({ where: { status: "running" }, select: { id: true } });
  return running?.id ?? null;
}
