import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FILES, writeBaseSnapshot } from "@/lib/snapshot/malformed-snapshot-cases";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "saltzer-source-"));
  await writeBaseSnapshot(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readError(): Promise<string> {
  const error = await readSnapshotDir(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotError);
  return (error as SnapshotError).message;
}

describe("snapshot files on disk", () => {
  it("refuses a FIFO where a file belongs at once, without opening it for a writer that never comes", async () => {
    // Given list-functions.json replaced by a named pipe (reading it used to wait forever)
    await rm(path.join(dir, FILES.listFunctions));
    execFileSync("mkfifo", [path.join(dir, FILES.listFunctions)]);
    // When the snapshot is read, Then it fails quickly naming the file
    const started = Date.now();
    expect(await readError()).toBe(`${FILES.listFunctions}: expected a file, found a FIFO (named pipe)`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a link that leads out of the snapshot, naming the link", async () => {
    // Given list-functions.json pointing at /etc/passwd
    await rm(path.join(dir, FILES.listFunctions));
    await symlink("/etc/passwd", path.join(dir, FILES.listFunctions));
    // When the snapshot is read, Then the link is named and not followed
    expect(await readError()).toBe(`${FILES.listFunctions}: is a symbolic link (or inside one) that points outside the snapshot directory; refusing to follow it`);
  });

  it("follows a link that stays inside the snapshot", async () => {
    // Given the region's list-functions.json kept elsewhere in the snapshot and linked into place
    await rename(path.join(dir, FILES.listFunctions), path.join(dir, "list-functions.saved.json"));
    await symlink(path.join(dir, "list-functions.saved.json"), path.join(dir, FILES.listFunctions));
    // When it is read, Then it reads as before
    const snapshot = await readSnapshotDir(dir);
    expect(snapshot.accounts[0].functions.map((f) => f.name).sort()).toEqual(["orders", "rates", "reports"]);
  });

  it("reports a get-policy file that cannot be read as an error, not as 'no resource policy'", async () => {
    // Given the public function's get-policy file replaced by a link to nothing (before: read as no policy, hiding its public invoke)
    await rm(path.join(dir, FILES.getPolicy));
    await symlink(path.join(dir, "missing.json"), path.join(dir, FILES.getPolicy));
    // When the snapshot is read, Then the file is named
    expect(await readError()).toBe(`${FILES.getPolicy}: is a symbolic link to something that does not exist`);
  });

  it.skipIf(process.getuid?.() === 0)("reports a get-policy file without read permission by name", async () => {
    // Given a get-policy file nobody may read (root reads it anyway, hence the skip there)
    await chmod(path.join(dir, FILES.getPolicy), 0o000);
    // When the snapshot is read, Then the file is named with the reason
    expect(await readError()).toBe(`${FILES.getPolicy}: cannot be read: permission denied`);
  });

  it("names a directory where a get-policy file belongs", async () => {
    // Given a directory called reports.json among the get-policy files
    await rm(path.join(dir, FILES.getPolicy));
    execFileSync("mkdir", [path.join(dir, FILES.getPolicy)]);
    // When the snapshot is read, Then the directory is named
    expect(await readError()).toBe(`${FILES.getPolicy}: expected a file, found a directory`);
  });

  it("ignores hidden files such as .DS_Store among the account directories", async () => {
    await writeFile(path.join(dir, "accounts", ".DS_Store"), "");
    expect((await readSnapshotDir(dir)).accounts.map((a) => a.accountId)).toEqual(["222222222222"]);
  });
});
