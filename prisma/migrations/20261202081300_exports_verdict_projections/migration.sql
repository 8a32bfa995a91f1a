-- Narrow copies of what the risk view filters, sorts and counts (lib/store/scan-aggregates.ts
-- writes them with the scan's aggregates): a page scans ~200-byte rows instead of functions and
-- findings rows that carry policies, blast radius and reasons.
CREATE TABLE "function_verdicts" (
    "scan_id" INTEGER NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "runtime" TEXT,
    "role_arn" TEXT NOT NULL,
    "policy_count" INTEGER NOT NULL,
    "has_secrets" BOOLEAN NOT NULL,
    "has_shared_role" BOOLEAN NOT NULL,
    "risk_score" INTEGER,
    "severity" TEXT,
    "is_public" BOOLEAN NOT NULL,
    "incomplete" JSON NOT NULL,

    CONSTRAINT "function_verdicts_pkey" PRIMARY KEY ("scan_id", "arn")
);
CREATE INDEX "function_verdicts_scan_id_risk_score_idx" ON "function_verdicts"("scan_id", "risk_score" DESC NULLS LAST);
CREATE INDEX "function_verdicts_scan_id_name_idx" ON "function_verdicts"("scan_id", "name" COLLATE "C", "arn" COLLATE "C");
ALTER TABLE "function_verdicts" ADD CONSTRAINT "function_verdicts_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "finding_verdicts" (
    "scan_id" INTEGER NOT NULL,
    "id" INTEGER NOT NULL,
    "function_arn" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,

    CONSTRAINT "finding_verdicts_pkey" PRIMARY KEY ("scan_id", "id")
);
CREATE INDEX "finding_verdicts_scan_id_function_arn_idx" ON "finding_verdicts"("scan_id", "function_arn");
ALTER TABLE "finding_verdicts" ADD CONSTRAINT "finding_verdicts_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
