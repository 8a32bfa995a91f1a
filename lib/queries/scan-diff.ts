import "server-only";
import { getDb } from "@/lib/server/db";
import { diffStoredScans, type ScanDiff } from "./diff-scans";

export type { ChangedFinding, DiffFinding, FunctionChange, ScanDiff } from "./diff-scans";

/** What changed from scan `from` to scan `to`: complete, per function (lib/queries/diff-scans.ts). */
export async function diffScans(from: number, to: number): Promise<ScanDiff> {
  return diffStoredScans(await getDb(), from, to);
}

/** The complete scan before this one, if any. */
export async function previousScanId(scanId: number): Promise<number | null> {
  const db = await getDb();
  const previous = await db.prisma.scan.findFirst({ where: { id: { lt: scanId }, status: { in: ["succeeded", "partial"] } }, orderBy: { id: "desc" }, select: { id: true } });
  return previous?.id ?? null;
}
