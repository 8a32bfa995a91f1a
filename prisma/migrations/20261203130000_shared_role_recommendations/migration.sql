-- An incremental rescan shares the reused accounts' role recommendations instead of copying them
-- (lib/store/reuse-analysis.ts): a scan's account row names the scan whose analysis of the account
-- it uses (analysed_in, always the scan that wrote those rows; null: the scan itself), and a role's
-- recommendation is read there (lib/store/shared-rows.ts). Such a scan cannot be deleted before
-- the scans that read it.
ALTER TABLE "accounts" ADD COLUMN "analysed_in" INTEGER;
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_analysed_in_fkey" FOREIGN KEY ("analysed_in") REFERENCES "scans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
