-- An incremental rescan shares the reused accounts' function rows instead of copying them
-- (lib/store/reuse-analysis.ts), as it shares their findings: a function's wide row (configuration,
-- risk, blast radius, recommended policy) stays where it was written, and a scan lists the rows
-- that are its functions in its narrow verdict copy (function_verdicts.function_id). A scan's
-- functions are the rows its verdict copy names, never `functions.scan_id` (the scan that wrote
-- the row); lib/store/shared-rows.ts is how every reader finds them.
ALTER TABLE "function_verdicts" ADD COLUMN "function_id" INTEGER;
UPDATE "function_verdicts" v SET "function_id" = f."id" FROM "functions" f WHERE f."scan_id" = v."scan_id" AND f."arn" = v."arn";
DELETE FROM "function_verdicts" WHERE "function_id" IS NULL;

-- A scan stored before the verdict copies existed gets its function copy now, so that every reader
-- finds its functions; its other copies and aggregates are derived on first read (scan-aggregates.ts).
DELETE FROM "scan_aggregates" a WHERE NOT EXISTS (SELECT 1 FROM "function_verdicts" v WHERE v."scan_id" = a."scan_id");
INSERT INTO "function_verdicts" ("scan_id", "arn", "name", "account_id", "region", "runtime", "role_arn", "policy_count", "has_secrets", "has_shared_role", "risk_score", "severity", "is_public", "incomplete", "function_id")
SELECT f."scan_id", f."arn", f."name", f."account_id", f."region", f."runtime", f."role_arn", f."policy_count", f."has_secrets", f."has_shared_role", f."risk_score", f."severity", f."is_public", f."incomplete", f."id"
  FROM "functions" f WHERE NOT EXISTS (SELECT 1 FROM "function_verdicts" v WHERE v."scan_id" = f."scan_id");

ALTER TABLE "function_verdicts" ALTER COLUMN "function_id" SET NOT NULL;
