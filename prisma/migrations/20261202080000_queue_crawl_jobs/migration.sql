-- Crawls run through the durable queue (saltzer scan --aws --queue, saltzer worker; helper: queue).
-- crawl_plans holds what the coordinator read first (caller, organization, settings every job
-- needs); crawl_jobs one row per job with, once done, its part: the responses read, sealed with
-- the coordinator's one-time public key (they hold environment variable values), so the scan is
-- assembled from the database whichever worker ran each job. Both are deleted with the crawl.

-- CreateTable
CREATE TABLE "crawl_plans" (
    "scan_id" INTEGER NOT NULL,
    "plan" JSONB NOT NULL,
    CONSTRAINT "crawl_plans_pkey" PRIMARY KEY ("scan_id")
);

-- CreateTable
CREATE TABLE "crawl_jobs" (
    "scan_id" INTEGER NOT NULL,
    "job_key" TEXT NOT NULL,
    "account_id" TEXT,
    "spec" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "part" TEXT,
    "stats" JSONB,
    "functions" INTEGER NOT NULL DEFAULT 0,
    "gaps" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "crawl_jobs_pkey" PRIMARY KEY ("scan_id","job_key")
);

-- CreateIndex
CREATE INDEX "crawl_jobs_scan_id_status_idx" ON "crawl_jobs"("scan_id", "status");

-- AddForeignKey
ALTER TABLE "crawl_plans" ADD CONSTRAINT "crawl_plans_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawl_jobs" ADD CONSTRAINT "crawl_jobs_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
