import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript build helper, no types
import { writeIamActionDigest } from "@/scripts/lib/iam-action-digest.mjs";
import { IAM_ACTION_DIGEST_FILE, loadIamActionTable, type IamActionTable } from "./iam-action-table";

const repo = path.resolve(import.meta.dirname, "..", "..", "..");

/** A Saltzer install at a temporary root: its package.json, the repo's node_modules, and a dist/ folder. */
function installAt(dist: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-iam-actions-"));
  fs.copyFileSync(path.join(repo, "package.json"), path.join(root, "package.json"));
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"));
  if (dist) {
    fs.mkdirSync(path.join(root, "dist"));
    writeIamActionDigest(root, path.join(root, "dist"));
  }
  return root;
}

/** The table as plain nested entries, order included. */
const entries = (table: IamActionTable) => [...table].sort(([a], [b]) => a.localeCompare(b)).map(([service, actions]) => [service, [...actions]]);

describe("IAM action table", () => {
  let withDigest: string;
  let without: string;
  let fromPackage: IamActionTable;
  beforeAll(() => {
    withDigest = installAt(true);
    without = installAt(false);
    fromPackage = loadIamActionTable(without);
  }, 60_000);
  afterAll(() => {
    for (const root of [withDigest, without]) fs.rmSync(root, { recursive: true, force: true });
  });

  it("reads the build's digest exactly as the package's files", () => {
    // Given the digest the build writes
    const file = path.join(withDigest, "dist", IAM_ACTION_DIGEST_FILE);
    expect(fs.statSync(file).size).toBeLessThan(4 * 2 ** 20);
    // When the table loads from it, then every service and action, in order, is the package's
    const fromDigest = loadIamActionTable(withDigest);
    expect(fromDigest.size).toBeGreaterThan(400);
    expect(entries(fromDigest)).toEqual(entries(fromPackage));
    expect(fromDigest.get("s3")?.get("putbucketpolicy")).toEqual({ name: "PutBucketPolicy", accessLevel: "Permissions management, Write", resourceTypes: ["bucket"] });
  });

  it("ignores a digest built from another version of the package", () => {
    // Given a digest stamped with another package version, whose s3:PutBucketPolicy was doctored
    const file = path.join(withDigest, "dist", IAM_ACTION_DIGEST_FILE);
    const digest = JSON.parse(fs.readFileSync(file, "utf8")) as { packageVersion: string; services: [string, [string, string, string, string[]][]][] };
    digest.packageVersion = "0.0.1";
    const s3 = digest.services.find(([service]) => service === "s3")![1];
    s3.find(([key]) => key === "putbucketpolicy")![2] = "Read";
    fs.writeFileSync(file, JSON.stringify(digest));
    // When the table loads, then it reads the installed package instead
    expect(loadIamActionTable(withDigest).get("s3")?.get("putbucketpolicy")?.accessLevel).toBe("Permissions management, Write");
  });
});
