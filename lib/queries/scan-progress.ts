/** A scan's progress as the SSE route and the scan runner read it (no `server-only`: the runner is shared with the CLI). */
import type { Database } from "@/lib/store/db";

export type ScanProgress =
  | { scanId: number; status: string; phase: string | null; progress: unknown; error: string | null; functionCount: number; gaps: number }
  | { scanId: null; status: "idle" };

/** The given scan's progress, or (without an id) the newest running scan's, or idle. */
export async function scanProgress(db: Database, scanId: number | null): Promise<ScanProgress> {
  const scan =
    scanId !== null ? await db.prisma.scan.findUnique({ where: { id: scanId } }) : await db.prisma.scan.findFirst({ where: { status: "running" }, orderBy: { id: "desc" } });
  if (!scan) return { scanId: null, status: "idle" };
  return { scanId: scan.id, status: scan.status, phase: scan.phase, progress: scan.progress, error: scan.error, functionCount: scan.functionCount, gaps: Array.isArray(scan.gaps) ? scan.gaps.length : 0 };
}

/** The id of a scan still marked running (by this or another process), or null. */
export async function runningScanId(db: Database): Promise<number | null> {
  const running = await db.prisma.scan.findFirst({ where: { status: "running" }, select: { id: true } });
  return running?.id ?? null;
}
