-- A scan's findings are read by function (the risk view's counts, a function's page, a rescan's
-- listing of a reused account's findings): the key leads with the function, and the separate
-- (scan, function) index goes, one index fewer to write for every finding a scan lists.
ALTER TABLE "finding_verdicts" DROP CONSTRAINT "finding_verdicts_pkey";
DROP INDEX "finding_verdicts_scan_id_function_arn_idx";
ALTER TABLE "finding_verdicts" ADD CONSTRAINT "finding_verdicts_pkey" PRIMARY KEY ("scan_id", "function_arn", "id");
