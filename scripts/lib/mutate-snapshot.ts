/**
 * Changes to a snapshot directory (AWS CLI layout) that a rescan must notice: used by the bench's
 * incremental rescan and by the incremental-rescan tests.
 */
import fs from "node:fs";
import path from "node:path";

interface CliFunction {
  FunctionName: string;
  FunctionArn: string;
  Role: string;
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
    const { file, listing } = deployedListing(dir, accountId);
    const fn = listing.Functions[0];
    fn.Runtime = fn.Runtime === "python3.12" ? "nodejs20.x" : "python3.12";
    // Doubled, back to the smallest size past Lambda's largest (10,240 MB): any number of deployments stays a valid snapshot.
    const doubled = (fn.MemorySize ?? 128) * 2;
    fn.MemorySize = doubled > 10_240 ? 128 : doubled;
    fn.LastModified = "2026-12-01T12:00:00.000+0000";
    fn.Environment = { Variables: { ...(fn.Environment?.Variables ?? {}), RELEASE: "incremental-rescan" } };
    fs.writeFileSync(file, JSON.stringify(listing, null, 2));
  }
}

/** The listing whose first function deployFunctions changes in an account. */
function deployedListing(dir: string, accountId: string): { file: string; listing: { Functions: CliFunction[] } } {
  const regions = path.join(dir, "accounts", accountId, "regions");
  const file = fs
    .readdirSync(regions)
    .sort()
    .map((region) => path.join(regions, region, "lambda", "list-functions.json"))
    .find((f) => fs.existsSync(f) && (JSON.parse(fs.readFileSync(f, "utf8")) as { Functions: unknown[] }).Functions.length > 0);
  if (!file) throw new Error(`Account ${accountId} in ${dir} has no function to deploy.`);
  return { file, listing: JSON.parse(fs.readFileSync(file, "utf8")) as { Functions: CliFunction[] } };
}

/** The ARN and execution role of the function deployFunctions changes in an account. */
export function deployedFunction(dir: string, accountId: string): { arn: string; roleArn: string } {
  const fn = deployedListing(dir, accountId).listing.Functions[0];
  return { arn: fn.FunctionArn, roleArn: fn.Role };
}

interface CliRole {
  Arn: string;
  AssumeRolePolicyDocument: { Statement: unknown[] };
  RolePolicyList: { PolicyName: string; PolicyDocument: unknown }[];
}

/**
 * A cross-account assume-role path: the first role of `trustingAccountId` trusts `roleArn`, and
 * `roleArn` gains an inline policy allowing sts:AssumeRole on it. Returns the trusting role's ARN.
 */
export function trustRole(dir: string, trustingAccountId: string, roleArn: string): string {
  const detailsOf = (accountId: string) => path.join(dir, "accounts", accountId, "iam", "get-account-authorization-details.json");
  const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as { RoleDetailList: CliRole[] };
  const trustingFile = detailsOf(trustingAccountId);
  const trusting = read(trustingFile);
  const target = trusting.RoleDetailList[0];
  target.AssumeRolePolicyDocument.Statement.push({ Effect: "Allow", Principal: { AWS: roleArn }, Action: "sts:AssumeRole" });
  fs.writeFileSync(trustingFile, JSON.stringify(trusting, null, 2));
  const trustedFile = detailsOf(roleArn.split(":")[4]);
  const trusted = read(trustedFile);
  const role = trusted.RoleDetailList.find((r) => r.Arn === roleArn);
  if (!role) throw new Error(`Role ${roleArn} is not in ${trustedFile}.`);
  role.RolePolicyList.push({ PolicyName: "AssumeAcrossAccounts", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: target.Arn }] } });
  fs.writeFileSync(trustedFile, JSON.stringify(trusted, null, 2));
  return target.Arn;
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
