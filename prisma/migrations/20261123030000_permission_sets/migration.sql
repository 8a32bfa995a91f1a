-- Each distinct permission set's blast-radius summary (services by access level, data stores)
-- is stored once per scan instead of on every function sharing it: about a third of the bytes
-- a large scan wrote.

-- CreateTable
CREATE TABLE "permission_sets" (
    "id" SERIAL NOT NULL,
    "scan_id" INTEGER NOT NULL,
    "permissions_key" TEXT NOT NULL,
    "services" JSON NOT NULL,
    "data_stores" JSON NOT NULL,

    CONSTRAINT "permission_sets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "permission_sets_scan_id_permissions_key_key" ON "permission_sets"("scan_id", "permissions_key");

-- AddForeignKey
ALTER TABLE "permission_sets" ADD CONSTRAINT "permission_sets_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
