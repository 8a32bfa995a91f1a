import { afterAll, describe, expect, it, vi } from "vitest";
import { freshPostgres, POSTGRES_ADMIN_URL, postgresReachable, type TestDatabase } from "./test-support";

const reachable = await postgresReachable();
if (!reachable) console.warn(`SKIPPED db-connection-loss: PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`);

describe.skipIf(!reachable)("a PostgreSQL store whose server ends its connections", () => {
  let test: TestDatabase | null = null;
  afterAll(async () => {
    await test?.dispose();
  });

  it("survives an idle connection ended by the server, says so once, and answers the next query", async () => {
    // Given an open store with idle pooled connections
    test = await freshPostgres();
    await Promise.all([test.db.query("select 1"), test.db.query("select 2")]);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // When the server ends them (as on a restart or failover)
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const name = new URL(test.url!).pathname.slice(1);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Then the process is still here, the loss is named, and the store reconnects
    expect(logged.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/idle PostgreSQL connection .* closed by the server/);
    logged.mockRestore();
    expect(await test.db.query<{ n: number }>("select 41 + 1 AS n")).toEqual([{ n: 42 }]);
  });
});
