import path from "node:path";
import { defineConfig } from "prisma/config";

// `prisma generate` wants a schema-engine binary it would download; this machine reaches only
// the npm registry, and generate never runs it, so any existing executable satisfies the check.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  // `prisma migrate deploy|status` read the PostgreSQL URL the app uses; `generate` needs none.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
