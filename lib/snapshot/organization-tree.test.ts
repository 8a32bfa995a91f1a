import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canFunction } from "@/lib/analysis/policy/can";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import { MEMBER, OU, ROOT, writeBaseSnapshot } from "@/lib/snapshot/malformed-snapshot-cases";
import { organizationTreeProblems } from "@/lib/snapshot/organization-tree";
import { readSnapshotDir, readSnapshotFiles } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";

// Issue 10 §5: a broken organization tree never drops SCPs silently.

const STOP_TRAIL = ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/org-trail`] as const;
const parentsFile = (child: string) => `organizations/list-parents/${child}.json`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "saltzer-org-tree-"));
  // The base: account 222222222222 in OU ou-ab12-workload under root r-ab12, whose SCP denies cloudtrail:StopLogging;
  // the function's role allows cloudtrail:*.
  await writeBaseSnapshot(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setParent(child: string, parent: string) {
  await writeFile(path.join(dir, parentsFile(child)), JSON.stringify({ Parents: [{ Id: parent, Type: parent.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" }] }));
}

async function readError(): Promise<SnapshotError> {
  const error = await readSnapshotDir(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotError);
  return error as SnapshotError;
}

/** The snapshot directory as the live crawl holds it: JSON values keyed by relative path. */
async function inMemory(): Promise<Map<string, unknown>> {
  const files = new Map<string, unknown>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), JSON.parse(await readFile(full, "utf8")));
  }
  return files;
}

describe("the organization tree, offline", () => {
  it("applies the root SCP when the tree is whole: the function cannot stop CloudTrail", async () => {
    // Given the intact base snapshot
    // When the function's ability to stop CloudTrail is asked
    const decision = await canFunction(indexSnapshot(await readSnapshotDir(dir)), "orders", ...STOP_TRAIL);
    // Then the root's SCP denies it
    expect(decision.decision).toBe("denied");
    expect(JSON.stringify(decision.deniedBy)).toContain("DenyCloudTrailStop");
  });

  it("rejects a snapshot missing the account's list-parents file, naming it", async () => {
    // Given the account's list-parents file left out (before: read as succeeded, the function could stop CloudTrail)
    await unlink(path.join(dir, parentsFile(MEMBER)));
    // When it is read, Then the error names the file and why it matters
    expect((await readError()).message).toBe(
      `${parentsFile(MEMBER)}: required file is missing: without it the place of account ${MEMBER} in the organization, and so the SCPs that apply to it, are unknown`,
    );
  });

  it("rejects an OU that is its own parent", async () => {
    // Given the OU naming itself as its parent
    await setParent(OU, OU);
    // When it is read, Then the error names the OU's file and field
    expect((await readError()).message).toBe(`${parentsFile(OU)}: $.Parents[0].Id: ${OU} is its own parent`);
  });

  it("rejects a parent cycle between two OUs", async () => {
    // Given ou-ab12-workload → ou-ab12-security → ou-ab12-workload
    await setParent(OU, "ou-ab12-security");
    await setParent("ou-ab12-security", OU);
    // When it is read, Then the error shows the cycle
    expect((await readError()).message).toBe(`${parentsFile("ou-ab12-security")}: $.Parents[0].Id: parent cycle ${OU} → ou-ab12-security → ${OU}: the path to a root never ends`);
  });

  it("rejects a parent that no file describes and that is not a root", async () => {
    // Given the account's OU whose own parent is unknown
    await setParent(OU, "ou-ab12-vanished");
    // When it is read, Then the error names the missing file and where the parent came from
    expect((await readError()).message).toBe(
      `${parentsFile("ou-ab12-vanished")}: required file is missing: ou-ab12-vanished, the parent of ${OU} in ${parentsFile(OU)}, is not a root in organizations/list-roots.json, and without this file the SCPs above it are unknown`,
    );
  });

  it("reads a saved crawl whose ListParents failure is recorded as a gap, keeping that gap", async () => {
    // Given a saved crawl that could not call ListParents for the account and says so
    await unlink(path.join(dir, parentsFile(MEMBER)));
    await writeFile(path.join(dir, "saltzer-coverage-gaps.json"), JSON.stringify({ Gaps: [{ accountId: "111111111111", region: null, api: "organizations:ListParents", file: null, message: "AccessDenied" }] }));
    // When it is read
    const snapshot = await readSnapshotDir(dir);
    // Then the broken link is a gap naming the account and the file
    expect(snapshot.gaps).toContainEqual(expect.objectContaining({ accountId: MEMBER, api: "organizations:ListParents", file: parentsFile(MEMBER) }));
  });
});

describe("the organization tree, live crawl (the crawl's responses go through the same reader)", () => {
  it("turns a missing list-parents response into a gap naming the account, so the scan is partial", async () => {
    // Given the crawl's responses without the account's ListParents answer
    const files = await inMemory();
    files.delete(parentsFile(MEMBER));
    // When they are normalized
    const snapshot = await readSnapshotFiles(files, { kind: "aws", location: "arn:aws:iam::111111111111:user/auditor" });
    // Then the gap says whose SCPs are unknown
    expect(snapshot.gaps).toContainEqual({
      accountId: MEMBER,
      region: null,
      api: "organizations:ListParents",
      file: parentsFile(MEMBER),
      message: `required file is missing: without it the place of account ${MEMBER} in the organization, and so the SCPs that apply to it, are unknown`,
    });
  });

  it("turns a parent cycle in the responses into a gap", async () => {
    // Given responses in which the OU is its own parent
    const files = await inMemory();
    files.set(parentsFile(OU), { Parents: [{ Id: OU, Type: "ORGANIZATIONAL_UNIT" }] });
    // When they are normalized, Then the cycle is a gap
    const snapshot = await readSnapshotFiles(files, { kind: "aws", location: "aws" });
    expect(snapshot.gaps).toContainEqual(expect.objectContaining({ api: "organizations:ListParents", file: parentsFile(OU), message: `$.Parents[0].Id: ${OU} is its own parent` }));
  });
});

describe("organizationTreeProblems", () => {
  it("finds nothing in a tree where every account leads to a root", () => {
    expect(organizationTreeProblems({ rootIds: [ROOT], parents: { [MEMBER]: OU, [OU]: ROOT }, accountIds: [MEMBER] })).toEqual([]);
  });

  it("reports each break once, however many accounts run into it", () => {
    const problems = organizationTreeProblems({ rootIds: [ROOT], parents: { "333333333333": OU, [MEMBER]: OU, [OU]: "ou-ab12-vanished" }, accountIds: [MEMBER, "333333333333"] });
    expect(problems.map((p) => p.file)).toEqual([parentsFile("ou-ab12-vanished")]);
  });
});
