import "server-only";
import { getDb } from "@/lib/server/db";

export interface ScanSummary {
  id: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  sourceLocation: string;
  accountCount: number;
  functionCount: number;
  findingCount: number;
  gapCount: number;
}

/** The scan a page shows: `?scan=N` when given and complete, else the latest complete scan. */
export async function resolveScan(scanParam: string | undefined): Promise<ScanSummary | null> {
  const db = await getDb();
  const requested = scanParam ? Number(scanParam) : NaN;
  const scan = await db.prisma.scan.findFirst({
    where: {
      status: { in: ["succeeded", "partial"] },
      ...(Number.isInteger(requested) ? { id: requested } : {}),
    },
    orderBy: { id: "desc" },
    // Every page asks: not the stored organization tree (~190 KB at 1,000 accounts).
    select: { id: true, status: true, startedAt: true, finishedAt: true, sourceLocation: true, accountCount: true, functionCount: true, findingCount: true, gaps: true },
  });
  if (!scan) return null;
  return {
    id: scan.id,
    status: scan.status,
    startedAt: scan.startedAt.toISOString(),
    finishedAt: scan.finishedAt?.toISOString() ?? null,
    sourceLocation: scan.sourceLocation,
    accountCount: scan.accountCount,
    functionCount: scan.functionCount,
    findingCount: scan.findingCount,
    gapCount: Array.isArray(scan.gaps) ? scan.gaps.length : 0,
  };
}

/** Why `?scan=…` shows nothing: "Scan 99 does not exist", "Scan 7 failed: …"; null without a request (no scan yet). */
export async function requestedScanProblem(scanParam: string | undefined): Promise<string | null> {
  if (scanParam === undefined) return null;
  const requested = Number(scanParam);
  if (!/^\d+$/.test(scanParam) || !Number.isSafeInteger(requested)) return `“${scanParam}” is not a scan number.`;
  const db = await getDb();
  const scan = await db.prisma.scan.findUnique({ where: { id: requested }, select: { status: true, error: true } });
  if (!scan) return `Scan ${requested} does not exist.`;
  if (scan.status === "running") return `Scan ${requested} is still running; its results appear when it ends.`;
  return `Scan ${requested} ${scan.status === "cancelled" ? "was cancelled" : "failed"}${scan.error ? `: ${scan.error}` : ""}; it has no results.`;
}
