/**
 * Changes to a snapshot directory (AWS CLI layout) that a rescan must notice: used by the bench's
 * incremental rescan and by the incremental-rescan tests.
 */
import fs from "node:fs";
import path from "node:path";

interface CliFunction {
  FunctionName: string;
  Runtime?: string;
  MemorySize?: number;
  LastModified?: string;
  Environment?: { Variables?: Record<string, string> };
}

/** Account ids of the snapshot, sorted. */
export function snapshotAccountIds(dir: string): string[] {
  return fs.readdirSync(path.join(dir, "accounts")).sort();
}

/**
 * A deployment in each given account: its first function gets a new runtime (an upgrade from a
 * deprecated one changes findings), memory size, code date and environment variable.
 */
export function deployFunctions(dir: string, accountIds: string[]): void {
  for (const accountId of accountIds) {
    const regions = path.join(dir, "accounts", accountId, "regions");
    const file = fs
      .readdirSync(regions)
      .sort()
      .map((region) => path.join(regions, region, "lambda", "list-functions.json"))
      .find((f) => fs.existsSync(f) && (JSON.parse(fs.readFileSync(f, "utf8")) as { Functions: unknown[] }).Functions.length > 0);
    if (!file) throw new Error(`Account ${accountId} in ${dir} has no function to deploy.`);
    const listing = JSON.parse(fs.readFileSync(file, "utf8")) as { Functions: CliFunction[] };
    const fn = listing.Functions[0];
    fn.Runtime = fn.Runtime === "python3.12" ? "nodejs20.x" : "python3.12";
    fn.MemorySize = (fn.MemorySize ?? 128) * 2;
    fn.LastModified = "2026-12-01T12:00:00.000+0000";
    fn.Environment = { Variables: { ...(fn.Environment?.Variables ?? {}), RELEASE: "incremental-rescan" } };
    fs.writeFileSync(file, JSON.stringify(listing, null, 2));
  }
}

/** Adds a statement denying `action` to the first customer SCP (an organization-level input). */
export function tightenScp(dir: string, action: string): string {
  const policies = path.join(dir, "organizations", "describe-policy");
  const file = fs
    .readdirSync(policies)
    .sort()
    .map((name) => path.join(policies, name))
    .find((f) => !f.endsWith("p-FullAWSAccess.json"));
  if (!file) throw new Error(`No customer SCP in ${dir}.`);
  const described = JSON.parse(fs.readFileSync(file, "utf8")) as { Policy: { PolicySummary: { Id: string }; Content: string } };
  const content = JSON.parse(described.Policy.Content) as { Statement: unknown[] };
  content.Statement.push({ Sid: "DenyAddedByTest", Effect: "Deny", Action: [action], Resource: "*" });
  described.Policy.Content = JSON.stringify(content);
  fs.writeFileSync(file, JSON.stringify(described, null, 2));
  return described.Policy.PolicySummary.Id;
}
