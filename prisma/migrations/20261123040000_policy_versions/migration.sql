-- A managed policy's non-default versions, so escalation through iam:SetDefaultPolicyVersion
-- can be judged on what the versions grant. Scans stored before this have none recorded.

-- AlterTable
ALTER TABLE "managed_policies" ADD COLUMN "other_versions" JSON NOT NULL DEFAULT '[]';
