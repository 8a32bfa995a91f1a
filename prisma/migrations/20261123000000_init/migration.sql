-- CreateTable
CREATE TABLE "scans" (
    "id" SERIAL NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "source_location" TEXT NOT NULL,
    "phase" TEXT,
    "progress" JSONB,
    "error" TEXT,
    "gaps" JSONB NOT NULL DEFAULT '[]',
    "organization_id" TEXT,
    "organization" JSONB,
    "account_count" INTEGER NOT NULL DEFAULT 0,
    "function_count" INTEGER NOT NULL DEFAULT 0,
    "finding_count" INTEGER NOT NULL DEFAULT 0,
    "analyzed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "scans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT,
    "regions" JSONB NOT NULL,
    "users" JSONB NOT NULL,
    "groups" JSONB NOT NULL,
    "last_accessed" JSONB NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "functions" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "runtime" TEXT,
    "role_arn" TEXT NOT NULL,
    "handler" TEXT,
    "package_type" TEXT NOT NULL,
    "memory_size" INTEGER,
    "timeout" INTEGER,
    "last_modified" TEXT,
    "architectures" JSONB NOT NULL,
    "environment" JSONB NOT NULL,
    "layers" JSONB NOT NULL,
    "vpc" JSONB,
    "dead_letter_target_arn" TEXT,
    "kms_key_arn" TEXT,
    "tracing_mode" TEXT,
    "log_group" TEXT NOT NULL,
    "resource_policy" JSONB,
    "urls" JSONB NOT NULL,
    "policy_count" INTEGER NOT NULL,
    "is_public" BOOLEAN NOT NULL,
    "has_secrets" BOOLEAN NOT NULL,
    "has_shared_role" BOOLEAN NOT NULL DEFAULT false,
    "risk_score" INTEGER,
    "severity" TEXT,
    "finding_count" INTEGER NOT NULL DEFAULT 0,
    "permissions_key" TEXT,
    "risk" JSONB,
    "blast_radius" JSONB,
    "recommended_policy" JSONB,

    CONSTRAINT "functions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roles" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "create_date" TEXT,
    "assume_role_policy" JSONB NOT NULL,
    "inline_policies" JSONB NOT NULL,
    "attached_policy_arns" JSONB NOT NULL,
    "permissions_boundary_arn" TEXT,
    "last_used" TEXT,

    CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "managed_policies" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "account_id" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aws_managed" BOOLEAN NOT NULL,
    "default_version_id" TEXT,
    "document" JSONB NOT NULL,

    CONSTRAINT "managed_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_source_mappings" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "function_arn" TEXT NOT NULL,
    "event_source_arn" TEXT,
    "state" TEXT,
    "batch_size" INTEGER,
    "self_managed_event_source" JSONB,

    CONSTRAINT "event_source_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "function_arn" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "fingerprint" TEXT NOT NULL,

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "edges" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "from_node" TEXT NOT NULL,
    "to_node" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "via" TEXT,
    "reason" TEXT NOT NULL,
    "short_reason" TEXT NOT NULL,
    "conditional" BOOLEAN NOT NULL,

    CONSTRAINT "edges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" SERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_scan_id_account_id_key" ON "accounts"("scan_id", "account_id");

-- CreateIndex
CREATE INDEX "functions_scan_id_account_id_idx" ON "functions"("scan_id", "account_id");

-- CreateIndex
CREATE INDEX "functions_scan_id_name_idx" ON "functions"("scan_id", "name");

-- CreateIndex
CREATE INDEX "functions_scan_id_risk_score_idx" ON "functions"("scan_id", "risk_score");

-- CreateIndex
CREATE UNIQUE INDEX "functions_scan_id_arn_key" ON "functions"("scan_id", "arn");

-- CreateIndex
CREATE UNIQUE INDEX "roles_scan_id_arn_key" ON "roles"("scan_id", "arn");

-- CreateIndex
CREATE UNIQUE INDEX "managed_policies_scan_id_account_id_arn_key" ON "managed_policies"("scan_id", "account_id", "arn");

-- CreateIndex
CREATE INDEX "event_source_mappings_scan_id_function_arn_idx" ON "event_source_mappings"("scan_id", "function_arn");

-- CreateIndex
CREATE UNIQUE INDEX "event_source_mappings_scan_id_uuid_key" ON "event_source_mappings"("scan_id", "uuid");

-- CreateIndex
CREATE INDEX "findings_scan_id_function_arn_idx" ON "findings"("scan_id", "function_arn");

-- CreateIndex
CREATE INDEX "findings_scan_id_category_idx" ON "findings"("scan_id", "category");

-- CreateIndex
CREATE INDEX "findings_scan_id_severity_idx" ON "findings"("scan_id", "severity");

-- CreateIndex
CREATE INDEX "findings_fingerprint_idx" ON "findings"("fingerprint");

-- CreateIndex
CREATE INDEX "edges_scan_id_from_node_idx" ON "edges"("scan_id", "from_node");

-- CreateIndex
CREATE INDEX "edges_scan_id_to_node_idx" ON "edges"("scan_id", "to_node");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_fingerprint_key" ON "suppressions"("fingerprint");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "functions" ADD CONSTRAINT "functions_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roles" ADD CONSTRAINT "roles_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "managed_policies" ADD CONSTRAINT "managed_policies_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_source_mappings" ADD CONSTRAINT "event_source_mappings_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "edges" ADD CONSTRAINT "edges_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
