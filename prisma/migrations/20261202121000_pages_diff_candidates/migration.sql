-- The functions whose stored verdicts or findings differ between two scans (lib/store/scan-diff-candidates.ts):
-- the diff page and the overview read only these. Scans are immutable, so a pair's list never goes stale.
CREATE TABLE "scan_diff_candidates" (
    "to_scan_id" INTEGER NOT NULL,
    "from_scan_id" INTEGER NOT NULL,
    "arns" JSON NOT NULL,

    CONSTRAINT "scan_diff_candidates_pkey" PRIMARY KEY ("to_scan_id", "from_scan_id")
);

-- AddForeignKey
ALTER TABLE "scan_diff_candidates" ADD CONSTRAINT "scan_diff_candidates_to_scan_id_fkey" FOREIGN KEY ("to_scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
