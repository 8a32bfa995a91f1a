-- A running scan refreshes its heartbeat; one whose heartbeat stopped belonged to a process
-- that died (crash, kill) and is marked failed, also on a shared PostgreSQL.

-- AlterTable
ALTER TABLE "scans" ADD COLUMN "heartbeat_at" TIMESTAMP(3);
