-- The whole reach of each role (issue 11 §7, issue 13): the function page lists it page by page
-- and the graph draws it, so both show the same functions. One row per role of a scan; scans
-- stored before this have none and fall back to the capped list in the blast radius.

-- CreateTable
CREATE TABLE "role_reach" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "role_arn" TEXT NOT NULL,
    "functions" JSON NOT NULL,

    CONSTRAINT "role_reach_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "role_reach_scan_id_role_arn_key" ON "role_reach"("scan_id", "role_arn");

-- AddForeignKey
ALTER TABLE "role_reach" ADD CONSTRAINT "role_reach_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
