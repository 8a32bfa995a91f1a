-- How many findings each function has, in all and by severity (critical, high, medium, low, info;
-- suppressed ones included), kept with the function's row and its verdict copy: the risk view
-- counts a selected function's findings from them when no category filter and no suppression
-- applies to the function, instead of reading its findings (a region's 60,000 functions at
-- 100,000). Filled from the findings each scan lists; an empty array means not known (the
-- findings are counted then).
ALTER TABLE "functions" ADD COLUMN "findings_by_severity" INTEGER[] NOT NULL DEFAULT '{}';
UPDATE "functions" f SET "findings_by_severity" = c."counts"
  FROM (SELECT "scan_id", "function_arn",
               ARRAY[count(*) FILTER (WHERE "severity" = 'critical'), count(*) FILTER (WHERE "severity" = 'high'), count(*) FILTER (WHERE "severity" = 'medium'),
                     count(*) FILTER (WHERE "severity" = 'low'), count(*) FILTER (WHERE "severity" = 'info')]::int[] AS "counts"
          FROM "findings" GROUP BY "scan_id", "function_arn") c
 WHERE c."scan_id" = f."scan_id" AND c."function_arn" = f."arn";
UPDATE "functions" SET "findings_by_severity" = '{0,0,0,0,0}' WHERE "findings_by_severity" = '{}' AND "finding_count" = 0;

ALTER TABLE "function_verdicts" ADD COLUMN "finding_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "function_verdicts" ADD COLUMN "findings_by_severity" INTEGER[] NOT NULL DEFAULT '{}';
UPDATE "function_verdicts" v SET "finding_count" = c."n", "findings_by_severity" = c."counts"
  FROM (SELECT "scan_id", "function_arn", count(*)::int AS "n",
               ARRAY[count(*) FILTER (WHERE "severity" = 'critical'), count(*) FILTER (WHERE "severity" = 'high'), count(*) FILTER (WHERE "severity" = 'medium'),
                     count(*) FILTER (WHERE "severity" = 'low'), count(*) FILTER (WHERE "severity" = 'info')]::int[] AS "counts"
          FROM "finding_verdicts" GROUP BY "scan_id", "function_arn") c
 WHERE c."scan_id" = v."scan_id" AND c."function_arn" = v."arn";
UPDATE "function_verdicts" SET "findings_by_severity" = '{0,0,0,0,0}' WHERE "findings_by_severity" = '{}' AND "finding_count" = 0;
