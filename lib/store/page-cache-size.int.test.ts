import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "@/lib/env";
import { openDatabase } from "./db";
import { dashboardCacheMb } from "./page-cache-size";

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-cache-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A data dir whose stored tables take `mib` MiB on disk (sparse files: nothing is written). */
function dataDirWithTables(mib: number): string {
  const dir = tempDir();
  const database = path.join(dir, "pgdata", "base", "16384");
  fs.mkdirSync(database, { recursive: true });
  // PostgreSQL splits a table into 1 GiB segments: several files, as a large store has.
  for (let left = mib, segment = 0; left > 0; left -= 1024, segment++) {
    const file = path.join(database, segment === 0 ? "24576" : `24576.${segment}`);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, Math.min(left, 1024) * 2 ** 20);
  }
  return dir;
}

describe("the embedded database's page cache", () => {
  it("is what the opener asks for, and 32 MiB for a scan", async () => {
    const dir = tempDir();
    const scanning = await openDatabase({ dataDir: dir });
    const [scan] = await scanning.query<{ shared_buffers: string }>("SHOW shared_buffers");
    await scanning.close();
    const dashboard = await openDatabase({ dataDir: dir, cacheMb: 48 });
    const [shown] = await dashboard.query<{ shared_buffers: string }>("SHOW shared_buffers");
    // The same store, still readable with its larger cache.
    const [{ n }] = await dashboard.query<{ n: number }>("SELECT count(*)::int AS n FROM scans");
    await dashboard.close();
    expect(scan.shared_buffers).toBe("32MB");
    expect(shown.shared_buffers).toBe("48MB");
    expect(n).toBe(0);
  });

  it("grows with the stored tables for the dashboard, within 32–256 MiB", () => {
    expect(dashboardCacheMb(tempDir())).toBe(32);
    expect(dashboardCacheMb(dataDirWithTables(200))).toBe(32);
    // 1.8 GB of tables, as 100,000 functions store: an eighth, in steps of 16 MiB.
    expect(dashboardCacheMb(dataDirWithTables(1800))).toBe(240);
    expect(dashboardCacheMb(dataDirWithTables(6000))).toBe(256);
  });

  it("refuses a SALTZER_DB_CACHE_MB that is not a sensible size, naming it", () => {
    const read = (value: string) => () => readEnv({ SALTZER_DB_CACHE_MB: value } as unknown as NodeJS.ProcessEnv);
    expect(read("8")).toThrow(ConfigError);
    expect(read("8")).toThrow(/SALTZER_DB_CACHE_MB must be at least 16/);
    expect(read("lots")).toThrow(/SALTZER_DB_CACHE_MB/);
    expect(read("256.5")).toThrow(/SALTZER_DB_CACHE_MB must be a whole number of MiB/);
    expect(readEnv({ SALTZER_DB_CACHE_MB: "512" } as unknown as NodeJS.ProcessEnv).SALTZER_DB_CACHE_MB).toBe(512);
    // Set but empty (`SALTZER_DB_CACHE_MB=`) is unset: the store decides.
    expect(readEnv({ SALTZER_DB_CACHE_MB: "" } as unknown as NodeJS.ProcessEnv).SALTZER_DB_CACHE_MB).toBeUndefined();
  });
});
