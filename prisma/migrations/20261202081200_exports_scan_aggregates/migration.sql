-- Per-scan aggregates (lib/store/scan-aggregates.ts): the overview's counts and the risk view's
-- facets, stored with the scan so a page need not read every function. Older scans get theirs on
-- first read.
CREATE TABLE "scan_aggregates" (
    "scan_id" INTEGER NOT NULL,
    "data" JSON NOT NULL,

    CONSTRAINT "scan_aggregates_pkey" PRIMARY KEY ("scan_id")
);

-- AddForeignKey
ALTER TABLE "scan_aggregates" ADD CONSTRAINT "scan_aggregates_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The risk view pages in the database: its default order (risk, highest first, unanalysed last)
-- and its name order (byte order, as the list sorts) read from an index, a page at a time.
CREATE INDEX "functions_scan_id_risk_score_desc_idx" ON "functions"("scan_id", "risk_score" DESC NULLS LAST);
CREATE INDEX "functions_scan_id_name_c_idx" ON "functions"("scan_id", "name" COLLATE "C", "arn" COLLATE "C");
