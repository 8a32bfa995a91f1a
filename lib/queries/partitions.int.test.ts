/**
 * AWS-managed policies are recognised in every partition: a function in aws-cn and one in
 * aws-us-gov, each with the partition's AWSLambdaBasicExecutionRole and a customer-managed policy,
 * show the same policy kinds on the function page, in its graph and in the JSON report.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/store/db";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { authorizationDetails, functionConfiguration, managedPolicyDetail, roleDetail, writeSnapshotFixture } from "@/lib/snapshot/test-fixtures";

// The function page's and the graph's queries are server-only; here they run in a plain Node process.
vi.mock("server-only", () => ({}));

const PARTITIONS = [
  { partition: "aws-cn", accountId: "333333333333", region: "cn-north-1" },
  { partition: "aws-us-gov", accountId: "444444444444", region: "us-gov-west-1" },
] as const;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-partitions-"));
const snapshotDir = path.join(tmp, "snapshot");
let db: Database;
let scanId: number;

const functionArn = (p: (typeof PARTITIONS)[number]) => `arn:${p.partition}:lambda:${p.region}:${p.accountId}:function:worker`;
const basicExecution = (partition: string) => `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;
const customerPolicy = (p: (typeof PARTITIONS)[number]) => `arn:${p.partition}:iam::${p.accountId}:policy/app-policy`;

/** Rewrite every `arn:aws:` under an account's folder to its partition (the fixture helpers write `aws`). */
function toPartition(dir: string, partition: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const file = path.join(entry.parentPath, entry.name);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll("arn:aws:", `arn:${partition}:`));
  }
}

beforeAll(async () => {
  // Given one account in aws-cn and one in aws-us-gov, each function's role holding the
  // partition's AWS-managed basic-execution policy and a customer-managed policy
  const accounts = Object.fromEntries(
    PARTITIONS.map((p) => {
      const role = roleDetail({ accountId: p.accountId, name: "worker-role", attached: [basicExecution("aws"), `arn:aws:iam::${p.accountId}:policy/app-policy`] });
      const policy = managedPolicyDetail({ arn: `arn:aws:iam::${p.accountId}:policy/app-policy`, document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } });
      return [
        p.accountId,
        {
          authorizationDetails: authorizationDetails({ roles: [role], policies: [policy] }),
          regions: { [p.region]: { listFunctions: { Functions: [functionConfiguration({ accountId: p.accountId, region: p.region, name: "worker", roleArn: role.Arn })] }, listEventSourceMappings: { EventSourceMappings: [] } } },
        },
      ];
    }),
  );
  await writeSnapshotFixture(snapshotDir, { accounts });
  for (const p of PARTITIONS) toPartition(path.join(snapshotDir, "accounts", p.accountId), p.partition);

  // When it is scanned into the dashboard's database
  process.env.SALTZER_DATA_DIR = path.join(tmp, "data");
  const { getDbUnchecked } = await import("@/lib/server/db-unchecked");
  db = await getDbUnchecked();
  ({ scanId } = await scanSnapshotDir(db, snapshotDir, { now: "2026-11-01T00:00:00.000Z" }));
}, 300_000);

afterAll(async () => {
  await db?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(PARTITIONS)("a function in $partition", (p) => {
  it("shows the partition's AWSLambdaBasicExecutionRole as AWS-managed on its page, and its own policy as customer-managed", async () => {
    const { getFunctionDetail } = await import("@/lib/queries/function-detail");
    const detail = await getFunctionDetail(scanId, functionArn(p));
    expect(detail?.policies.map((x) => [x.arn, x.kind])).toEqual(
      expect.arrayContaining([
        [basicExecution(p.partition), "aws-managed"],
        [customerPolicy(p), "customer-managed"],
      ]),
    );
  });

  it("draws the same policy kinds in its graph", async () => {
    const { functionGraphIn } = await import("@/lib/queries/permission-graph");
    const graph = await functionGraphIn(db, scanId, functionArn(p));
    const kindOf = (arn: string) => graph?.nodes.find((n) => n.type === "policy" && n.detail === arn)?.policyKind;
    expect(kindOf(basicExecution(p.partition))).toBe("aws-managed");
    expect(kindOf(customerPolicy(p))).toBe("customer-managed");
  });

  it("reports the same policy kinds in the JSON report", async () => {
    const { buildJsonReport } = await import("@/lib/queries/json-report");
    const report = await buildJsonReport(db, scanId);
    const fn = report.functions.find((f) => f.arn === functionArn(p));
    expect(fn?.policies.map((x) => [x.arn, x.kind])).toEqual(
      expect.arrayContaining([
        [basicExecution(p.partition), "aws-managed"],
        [customerPolicy(p), "customer-managed"],
      ]),
    );
  });
});
