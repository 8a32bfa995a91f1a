/**
 * Test support: a crawl-then-store run in its own process, so a test can kill it mid-crawl.
 * Usage: tsx crawl-and-store-child.ts <dataDir> <endpoint> <callerAccountId>
 * Prints one JSON progress line per crawl progress event, then `stored <status>`.
 */
import { crawlOrganization } from "@/lib/collect/crawl-organization";
import { openDatabase } from "@/lib/store/db";
import { createScan, failScan, storeSnapshot } from "@/lib/store/save-scan";

const [dataDir, endpoint, callerAccountId] = process.argv.slice(2);
if (!dataDir || !endpoint || !callerAccountId) throw new Error("usage: crawl-and-store-child.ts <dataDir> <endpoint> <callerAccountId>");

const db = await openDatabase({ dataDir });
const scanId = await createScan(db, { kind: "aws", location: endpoint });
try {
  const { snapshot } = await crawlOrganization({
    org: true,
    endpoint,
    credentials: { accessKeyId: `AKIAREPLAY${callerAccountId}`, secretAccessKey: "replay-secret" },
    ratePerSecond: 1000,
    concurrency: 2,
    onProgress: (p) => process.stdout.write(`${JSON.stringify(p)}\n`),
  });
  const status = await storeSnapshot(db, scanId, snapshot, null);
  process.stdout.write(`stored ${status}\n`);
} catch (error) {
  await failScan(db, scanId, error);
  throw error;
} finally {
  await db.close();
}
