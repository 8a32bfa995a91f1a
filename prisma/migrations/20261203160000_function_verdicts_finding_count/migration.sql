-- How many findings each function of a scan has (suppressed ones included), kept with its verdict:
-- the risk view counts a selected function's findings from it when no finding-level filter and no
-- suppression applies to the function, instead of one index read per function (a region's 60,000
-- functions at 100,000). Filled from the findings each scan lists.
ALTER TABLE "function_verdicts" ADD COLUMN "finding_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "function_verdicts" v SET "finding_count" = c."n"
  FROM (SELECT "scan_id", "function_arn", count(*)::int AS "n" FROM "finding_verdicts" GROUP BY "scan_id", "function_arn") c
 WHERE c."scan_id" = v."scan_id" AND c."function_arn" = v."arn";
