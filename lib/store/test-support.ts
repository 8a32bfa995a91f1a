/** Test helpers for database tests: a fresh database per test file, on PGlite or PostgreSQL. */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Snapshot } from "@/lib/snapshot/types";
import { testFunction } from "@/lib/snapshot/test-functions";

export { testFunction };
import { openDatabase, type Database } from "./db";

export const POSTGRES_ADMIN_URL = process.env.SALTZER_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  db: Database;
  /** Closes and deletes the database. */
  dispose(): Promise<void>;
  /** Options to reopen the same database. */
  reopen(): Promise<Database>;
  /** PostgreSQL only: the database's URL (for child processes). */
  url?: string;
}

export async function freshPglite(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-pglite-"));
  const db = await openDatabase({ dataDir: dir });
  return {
    db,
    reopen: () => openDatabase({ dataDir: dir }),
    async dispose() {
      await db.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the test PostgreSQL server answers (tests that need it say so when it does not). */
export async function postgresReachable(): Promise<boolean> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function freshPostgres(): Promise<TestDatabase> {
  const pg = (await import("pg")).default;
  const name = `saltzer_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ databaseUrl: url });
  return {
    db,
    url,
    reopen: () => openDatabase({ databaseUrl: url }),
    async dispose() {
      await db.close().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** A one-account snapshot with `count` functions sharing one role. */
export function tinySnapshot(count = 3, accountId = "222222222222"): Snapshot {
  return {
    source: { kind: "directory", location: "/tmp/tiny" },
    organization: null,
    gaps: [],
    accounts: [
      {
        accountId,
        name: "tiny",
        regions: ["us-east-1"],
        users: [],
        groups: [],
        lastAccessed: {},
        managedPolicies: [],
        eventSourceMappings: [],
        roles: [
          {
            arn: `arn:aws:iam::${accountId}:role/app-role`,
            name: "app-role",
            path: "/",
            roleId: "AROAEXAMPLE",
            createDate: null,
            assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] },
            inlinePolicies: [{ name: "logs", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:*", Resource: "*" }] } }],
            attachedPolicyArns: [],
            permissionsBoundaryArn: null,
            lastUsed: null,
          },
        ],
        functions: Array.from({ length: count }, (_, i) => testFunction({ name: `fn-${String(i).padStart(3, "0")}`, accountId })),
      },
    ],
  };
}
