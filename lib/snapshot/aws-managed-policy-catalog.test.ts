import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript build helper, no types
import { writeManagedPolicyDigest } from "@/scripts/lib/managed-policy-digest.mjs";
import { loadManagedPolicyCatalog, type ManagedPolicyLookup } from "./aws-managed-policy-catalog";

const repo = path.resolve(import.meta.dirname, "..", "..");

/** A Saltzer install at a temporary root: its package.json, the repo's node_modules, and a dist/ folder. */
function installAt(dist: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-catalog-"));
  fs.copyFileSync(path.join(repo, "package.json"), path.join(root, "package.json"));
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"));
  if (dist) {
    fs.mkdirSync(path.join(root, "dist"));
    writeManagedPolicyDigest(root, path.join(root, "dist"));
  }
  return root;
}

describe("AWS-managed policy catalog", () => {
  let withDigest: string;
  let without: string;
  let fromPackage: ManagedPolicyLookup;
  beforeAll(async () => {
    withDigest = installAt(true);
    without = installAt(false);
    fromPackage = await loadManagedPolicyCatalog(without);
  }, 120_000);
  afterAll(() => {
    for (const root of [withDigest, without]) fs.rmSync(root, { recursive: true, force: true });
  });

  it("resolves every policy from the build's digest exactly as from the package", async () => {
    // Given the digest the build writes
    const digest = JSON.parse(fs.readFileSync(path.join(withDigest, "dist", "aws-managed-policies.json"), "utf8")) as { policies: Record<string, unknown> };
    const names = Object.keys(digest.policies);
    expect(names.length).toBeGreaterThan(1000);
    // When a snapshot's policy is looked up through it
    const fromDigest = await loadManagedPolicyCatalog(withDigest);
    // Then every name gives the package's latest version and document
    for (const name of names) expect(fromDigest(name), name).toEqual(fromPackage(name));
    expect(fromDigest("AdministratorAccess")?.document).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    // ... and unknown or inherited names are unknown, not Object.prototype members
    for (const name of ["NoSuchPolicy", "constructor", "__proto__"]) expect(fromDigest(name)).toBeNull();
  }, 60_000);

  it("ignores a digest built from another version of the package", async () => {
    // Given a digest stamped with another package version, whose AdministratorAccess was doctored
    const file = path.join(withDigest, "dist", "aws-managed-policies.json");
    const digest = JSON.parse(fs.readFileSync(file, "utf8"));
    digest.packageVersion = "0.0.1";
    digest.policies.AdministratorAccess.document = { Version: "2012-10-17", Statement: [] };
    fs.writeFileSync(file, JSON.stringify(digest));
    // When the catalog loads, then it reads the installed package instead
    const catalog = await loadManagedPolicyCatalog(withDigest);
    expect(catalog("AdministratorAccess")).toEqual(fromPackage("AdministratorAccess"));
  }, 60_000);
});
