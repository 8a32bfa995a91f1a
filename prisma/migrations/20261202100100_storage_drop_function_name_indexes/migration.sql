-- The risk view sorts by name in function_verdicts (function_verdicts_scan_id_name_idx); nothing
-- reads functions by name any more (a role's functions come through functions_scan_id_role_arn_idx),
-- so these two only cost every stored function two index entries.
DROP INDEX IF EXISTS "functions_scan_id_name_idx";
DROP INDEX IF EXISTS "functions_scan_id_name_c_idx";
