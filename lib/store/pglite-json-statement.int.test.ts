import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite, type TestDatabase } from "./test-support";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("a JSON statement on the embedded database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
    await t.db.exec("CREATE TABLE kept (id int PRIMARY KEY, name text)");
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const insert = `INSERT INTO kept (id, name) SELECT id, name FROM json_populate_recordset(NULL::kept, $1::json)`;

  it("stores every row of a parameter larger than the buffer it keeps, text beyond ASCII intact", async () => {
    // Given 200,000 rows (about 8 MB of JSON) with names in several scripts
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `fn-${i}-é-函数-🔒` }));
    // When they are written in one statement, then a small one after it
    await t.db.queryJson(insert, bytes(rows));
    await t.db.queryJson(insert, bytes([{ id: -1, name: "last" }]));
    // Then every row reads back as written
    const [{ count, sample }] = await t.db.query<{ count: number; sample: string }>(`SELECT count(*)::int AS count, (SELECT name FROM kept WHERE id = 123456) AS sample FROM kept`);
    expect(count).toBe(200_001);
    expect(sample).toBe("fn-123456-é-函数-🔒");
  });

  it("rejects malformed JSON with the database's error, and the next statements run", async () => {
    // Given an open transaction
    await t.db.exec("BEGIN");
    // When a statement's JSON is malformed
    const failed = t.db.queryJson(insert, new TextEncoder().encode('[{"id": 1,'));
    // Then it fails as PostgreSQL says, the transaction rolls back, and the session takes new statements
    await expect(failed).rejects.toThrow(/invalid input syntax for type json/);
    await t.db.exec("ROLLBACK");
    await t.db.queryJson(insert, bytes([{ id: -2, name: "after" }]));
    expect(await t.db.query(`SELECT name FROM kept WHERE id = -2`)).toEqual([{ name: "after" }]);
  });

  it("runs beside other queries without mixing their messages", async () => {
    // When plain queries run and JSON statements start while they are between their messages (a scan's writes beside its heartbeat)
    const reads = Array.from({ length: 20 }, (_, i) => t.db.query<{ n: number }>(`SELECT $1::int AS n`, [i]));
    const writes = Array.from({ length: 20 }, async (_, i) => {
      for (let turn = 0; turn < i * 3; turn++) await null;
      return t.db.queryJson(insert, bytes([{ id: 1_000_000 + i, name: `w${i}` }]));
    });
    // Then each completes with its own result
    await Promise.all(writes);
    expect((await Promise.all(reads)).map(([row]) => row.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await t.db.query(`SELECT count(*)::int AS n FROM kept WHERE id >= 1000000`)).toEqual([{ n: 20 }]);
  });
});
