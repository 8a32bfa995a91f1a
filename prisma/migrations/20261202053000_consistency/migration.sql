-- One answer everywhere (issue 11): a function's incomplete inputs (the reads a scan could not make
-- for its account/region: [{api, reason}]), and who or what created a suppression.

-- AlterTable
ALTER TABLE "functions" ADD COLUMN "incomplete" JSON NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "suppressions" ADD COLUMN "created_by" TEXT NOT NULL DEFAULT 'dashboard';
ALTER TABLE "suppressions" ADD COLUMN "function_arn" TEXT;
ALTER TABLE "suppressions" ADD COLUMN "rule_id" TEXT;
