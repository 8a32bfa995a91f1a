-- A live crawl's statistics (API calls, retries, throttled answers, in all and per API), kept
-- with the scan they produced; null for scans of snapshot directories.

-- AlterTable
ALTER TABLE "scans" ADD COLUMN "crawl_stats" JSONB;
