-- A rescan leaves a reused account's roles, managed policies and event source mappings in the scan
-- that wrote them (lib/store/shared-rows.ts): roles are then found by (scan, account).
CREATE INDEX "roles_scan_id_account_id_idx" ON "roles"("scan_id", "account_id");
