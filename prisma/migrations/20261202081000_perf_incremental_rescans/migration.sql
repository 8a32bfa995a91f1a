-- Incremental rescans (h-perf): what each account's analysis read, so a rescan can reuse unchanged accounts.
ALTER TABLE "scans" ADD COLUMN "analysis_key" TEXT;
ALTER TABLE "scans" ADD COLUMN "reused_accounts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "accounts" ADD COLUMN "input_hash" TEXT;
CREATE INDEX "scans_analysis_key_idx" ON "scans"("analysis_key");
