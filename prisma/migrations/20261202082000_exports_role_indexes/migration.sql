-- A function page lists the functions sharing its role, and the roles page groups functions by
-- role: both read by (scan, role) instead of every function of the scan.
CREATE INDEX "functions_scan_id_role_arn_idx" ON "functions"("scan_id", "role_arn");
CREATE INDEX "function_verdicts_scan_id_role_arn_idx" ON "function_verdicts"("scan_id", "role_arn");
