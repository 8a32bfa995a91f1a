-- Indexes no query reads, each maintained on every row a scan writes: the risk view filters
-- findings by category and severity in finding_verdicts, not in findings; and the riskiest
-- functions are read through functions_scan_id_risk_score_desc_idx, which the ascending
-- (scan_id, risk_score) index only duplicated.
DROP INDEX IF EXISTS "findings_scan_id_category_idx";
DROP INDEX IF EXISTS "findings_scan_id_severity_idx";
DROP INDEX IF EXISTS "functions_scan_id_risk_score_idx";
