-- h-roles: the recommended policy is computed per execution role (the union of what all its
-- functions need) and stored once per role, instead of a different policy on each function
-- sharing the role. Older scans keep theirs on "functions"."recommended_policy".

-- CreateTable
CREATE TABLE "role_recommendations" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "role_arn" TEXT NOT NULL,
    "function_count" INTEGER NOT NULL,
    "policy" JSON NOT NULL,

    CONSTRAINT "role_recommendations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "role_recommendations_scan_id_role_arn_key" ON "role_recommendations"("scan_id", "role_arn");

-- AddForeignKey
ALTER TABLE "role_recommendations" ADD CONSTRAINT "role_recommendations_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
