-- What the pages read, derived once when a scan is stored (lib/store/scan-page-data.ts) instead
-- of on every request: scans are immutable, so none of it goes stale.

-- Text search over the actions and resources findings name: each distinct line (an action or a
-- resource, lower-cased) once per scan, each distinct set of lines once per scan, and each
-- finding's set. A search matches the few thousand lines, not every finding's JSON details.
CREATE TABLE "search_terms" (
    "scan_id" INTEGER NOT NULL,
    "id" SERIAL NOT NULL,
    "term" TEXT NOT NULL,

    CONSTRAINT "search_terms_pkey" PRIMARY KEY ("scan_id", "id")
);
ALTER TABLE "search_terms" ADD CONSTRAINT "search_terms_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A set of lines (search_text_terms) is numbered from one sequence, so ids are unique across scans.
CREATE SEQUENCE "search_text_id_seq" AS INTEGER;
CREATE TABLE "search_text_terms" (
    "scan_id" INTEGER NOT NULL,
    "term_id" INTEGER NOT NULL,
    "text_id" INTEGER NOT NULL,

    CONSTRAINT "search_text_terms_pkey" PRIMARY KEY ("scan_id", "term_id", "text_id")
);
ALTER TABLE "search_text_terms" ADD CONSTRAINT "search_text_terms_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "finding_search" (
    "scan_id" INTEGER NOT NULL,
    "finding_id" INTEGER NOT NULL,
    "function_arn" TEXT NOT NULL,
    -- Its set of lines (search_text_terms.text_id).
    "text_id" INTEGER NOT NULL,

    CONSTRAINT "finding_search_pkey" PRIMARY KEY ("scan_id", "finding_id")
);
CREATE INDEX "finding_search_scan_id_text_id_idx" ON "finding_search"("scan_id", "text_id");
ALTER TABLE "finding_search" ADD CONSTRAINT "finding_search_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The roles page: one row per execution role with its functions, in the page's order.
CREATE TABLE "role_summaries" (
    "scan_id" INTEGER NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "function_count" INTEGER NOT NULL,
    "worst_score" INTEGER,
    "policy_count" INTEGER NOT NULL,
    "has_boundary" BOOLEAN NOT NULL,
    "functions" JSON NOT NULL,

    CONSTRAINT "role_summaries_pkey" PRIMARY KEY ("scan_id", "arn")
);
CREATE INDEX "role_summaries_page_order_idx" ON "role_summaries"("scan_id", "function_count" DESC, "worst_score" DESC NULLS LAST, "name");
ALTER TABLE "role_summaries" ADD CONSTRAINT "role_summaries_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Which scans have the rows above (a scan stored before them gets them on first read), and of which shape.
CREATE TABLE "scan_page_data" (
    "scan_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "scan_page_data_pkey" PRIMARY KEY ("scan_id")
);
ALTER TABLE "scan_page_data" ADD CONSTRAINT "scan_page_data_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The risk view's account filter reads one account's functions, not the scan's.
CREATE INDEX "function_verdicts_scan_id_account_id_idx" ON "function_verdicts"("scan_id", "account_id");

-- The risk view's counts for a category (and minimum severity) without counting findings per
-- request: per category and severity, its findings, and the functions whose worst finding of
-- that category has that severity (a function has one of severity ≥ X when its worst one is ≥ X).
CREATE TABLE "category_counts" (
    "scan_id" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "findings" INTEGER NOT NULL,
    "functions_worst" INTEGER NOT NULL,

    CONSTRAINT "category_counts_pkey" PRIMARY KEY ("scan_id", "category", "severity")
);
ALTER TABLE "category_counts" ADD CONSTRAINT "category_counts_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
