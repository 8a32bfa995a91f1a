-- The text search's index is written with the findings (lib/store/finding-search-index.ts): each
-- finding carries its set of lines (search_text_id), and terms and sets are numbered by a hash of
-- their text, so an incremental rescan copies them with the reused findings. The index of scans
-- stored before is derived again on first read (page data version 2, lib/store/scan-page-data.ts).
DELETE FROM "scan_page_data";
DROP TABLE "finding_search";
DELETE FROM "search_text_terms";
DELETE FROM "search_terms";
DROP SEQUENCE "search_text_id_seq";

ALTER TABLE "search_terms" ALTER COLUMN "id" DROP DEFAULT, ALTER COLUMN "id" SET DATA TYPE BIGINT;
DROP SEQUENCE IF EXISTS "search_terms_id_seq";
ALTER TABLE "search_text_terms" ALTER COLUMN "term_id" SET DATA TYPE BIGINT, ALTER COLUMN "text_id" SET DATA TYPE BIGINT;

ALTER TABLE "findings" ADD COLUMN "search_text_id" BIGINT;
ALTER TABLE "finding_verdicts" ADD COLUMN "search_text_id" BIGINT;
CREATE INDEX "finding_verdicts_scan_id_search_text_id_idx" ON "finding_verdicts"("scan_id", "search_text_id");
