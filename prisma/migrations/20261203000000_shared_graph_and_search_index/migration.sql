-- An incremental rescan no longer copies what it would copy unchanged (lib/store/reuse-analysis.ts).
--
-- 1. The organization's graph (edges, permission sets, role reach) reads organization-level inputs
--    only: a scan whose analysis key equals an earlier scan's has the same rows. Such a scan points
--    at the scan that stored them (graph_scan_id, always the one that wrote them, never a chain)
--    instead of copying them; lib/queries reads them through graphScanId. A scan whose graph is
--    read by a later one cannot be deleted before it (no cascade would leave that scan without one).
ALTER TABLE "scans" ADD COLUMN "graph_scan_id" INTEGER;
ALTER TABLE "scans" ADD CONSTRAINT "scans_graph_scan_id_fkey" FOREIGN KEY ("graph_scan_id") REFERENCES "scans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- 2. The text search's terms and sets of terms are content-addressed (ids are hashes of their
--    text, lib/store/finding-search-index.ts): one row per distinct term or set for every scan.
--    A scan's index is what its findings' search_text_id name.
CREATE TABLE "search_terms_shared" ("id" BIGINT NOT NULL, "term" TEXT NOT NULL, CONSTRAINT "search_terms_shared_pkey" PRIMARY KEY ("id"));
INSERT INTO "search_terms_shared" ("id", "term") SELECT DISTINCT ON ("id") "id", "term" FROM "search_terms" ORDER BY "id", "scan_id";
CREATE TABLE "search_text_terms_shared" ("term_id" BIGINT NOT NULL, "text_id" BIGINT NOT NULL, CONSTRAINT "search_text_terms_shared_pkey" PRIMARY KEY ("term_id", "text_id"));
INSERT INTO "search_text_terms_shared" ("term_id", "text_id") SELECT DISTINCT "term_id", "text_id" FROM "search_text_terms";
DROP TABLE "search_terms";
DROP TABLE "search_text_terms";
ALTER TABLE "search_terms_shared" RENAME TO "search_terms";
ALTER TABLE "search_terms" RENAME CONSTRAINT "search_terms_shared_pkey" TO "search_terms_pkey";
ALTER TABLE "search_text_terms_shared" RENAME TO "search_text_terms";
ALTER TABLE "search_text_terms" RENAME CONSTRAINT "search_text_terms_shared_pkey" TO "search_text_terms_pkey";
