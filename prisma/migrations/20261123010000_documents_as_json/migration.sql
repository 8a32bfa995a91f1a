-- Analysis documents are written once per scan and read whole, never queried inside:
-- plain json (validated text) instead of jsonb makes a large scan's store several times cheaper.

-- AlterTable
ALTER TABLE "functions" ALTER COLUMN "risk" SET DATA TYPE JSON,
ALTER COLUMN "blast_radius" SET DATA TYPE JSON,
ALTER COLUMN "recommended_policy" SET DATA TYPE JSON;

-- AlterTable
ALTER TABLE "findings" ALTER COLUMN "details" SET DATA TYPE JSON;
