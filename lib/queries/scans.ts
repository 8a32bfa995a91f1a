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
