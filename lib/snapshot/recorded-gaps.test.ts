import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COVERAGE_GAPS_FILE, readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { authorizationDetails, functionConfiguration, roleDetail, writeSnapshotFixture, type SnapshotFixtureSpec } from "@/lib/snapshot/test-fixtures";

// What scripts/collect-snapshot.sh leaves when calls fail: saltzer-coverage-gaps.json naming
// them, and (from older versions of the script, or by hand) empty directories where they failed.

const ACCOUNT = "222222222222";
const OTHER = "333333333333";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-fn-role`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "saltzer-recorded-gaps-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function gap(accountId: string | null, region: string | null, api: string, file: string | null) {
  return { accountId, region, api, file, message: `An error occurred (AccessDenied) when calling the ${api.split(":")[1]} operation: not authorized` };
}

function snapshot(gaps: ReturnType<typeof gap>[], extra: Partial<SnapshotFixtureSpec> = {}): SnapshotFixtureSpec {
  return {
    accounts: {
      [ACCOUNT]: {
        authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role" })] }),
        regions: {
          "us-east-1": {
            listFunctions: { Functions: [functionConfiguration({ accountId: ACCOUNT, region: "us-east-1", name: "orders", roleArn: ROLE_ARN })] },
            listEventSourceMappings: { EventSourceMappings: [] },
          },
        },
      },
    },
    files: gaps.length > 0 ? { [COVERAGE_GAPS_FILE]: { Gaps: gaps } } : {},
    ...extra,
  };
}

describe("readSnapshotDir with recorded coverage gaps", () => {
  it("an empty region directory with a gap recorded for its function list is read as not collected, and the gap is kept", async () => {
    // Given eu-west-1's list-functions failed: its directory is empty and the gap file says why
    const listFunctions = `accounts/${ACCOUNT}/regions/eu-west-1/lambda/list-functions.json`;
    await writeSnapshotFixture(dir, snapshot([gap(ACCOUNT, "eu-west-1", "lambda:ListFunctions", listFunctions)]));
    await mkdir(path.join(dir, `accounts/${ACCOUNT}/regions/eu-west-1/lambda`), { recursive: true });

    // When it is read
    const read = await readSnapshotDir(dir);

    // Then the region is left out, the other is read, and the gap makes the scan partial
    expect(read.accounts[0].regions).toEqual(["us-east-1"]);
    expect(read.accounts[0].functions.map((f) => f.name)).toEqual(["orders"]);
    expect(read.gaps).toEqual([gap(ACCOUNT, "eu-west-1", "lambda:ListFunctions", listFunctions)]);
  });

  it("the same empty region directory without a recorded gap is still an error naming the file", async () => {
    // Given an empty region directory and no gap file
    await writeSnapshotFixture(dir, snapshot([]));
    await mkdir(path.join(dir, `accounts/${ACCOUNT}/regions/eu-west-1/lambda`), { recursive: true });

    // When it is read, then the missing file is named
    await expect(readSnapshotDir(dir)).rejects.toThrow(`accounts/${ACCOUNT}/regions/eu-west-1/lambda/list-functions.json: required file is missing`);
  });

  it("a missing event source mapping list with a recorded gap keeps the region's functions", async () => {
    // Given list-event-source-mappings failed in us-east-1
    const spec = snapshot([gap(ACCOUNT, "us-east-1", "lambda:ListEventSourceMappings", `accounts/${ACCOUNT}/regions/us-east-1/lambda/list-event-source-mappings.json`)]);
    const region = spec.accounts?.[ACCOUNT].regions?.["us-east-1"];
    if (region) region.listEventSourceMappings = undefined;
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const read = await readSnapshotDir(dir);

    // Then the function is there, its mappings unknown (the gap says so)
    expect(read.accounts[0].functions.map((f) => f.name)).toEqual(["orders"]);
    expect(read.accounts[0].eventSourceMappings).toEqual([]);
    expect(read.gaps.map((g) => g.api)).toEqual(["lambda:ListEventSourceMappings"]);
  });

  it("a gap about another API does not explain a missing event source mapping list", async () => {
    // Given list-event-source-mappings is missing, and the only gap is about function policies
    const spec = snapshot([gap(ACCOUNT, "us-east-1", "lambda:GetPolicy", null)]);
    const region = spec.accounts?.[ACCOUNT].regions?.["us-east-1"];
    if (region) region.listEventSourceMappings = undefined;
    await writeSnapshotFixture(dir, spec);

    // When it is read, then the missing file is named
    await expect(readSnapshotDir(dir)).rejects.toThrow(`accounts/${ACCOUNT}/regions/us-east-1/lambda/list-event-source-mappings.json: required file is missing`);
  });

  it("an account directory without IAM but with a recorded gap for the account is left out", async () => {
    // Given a second account whose role could not be assumed, leaving an empty directory
    await writeSnapshotFixture(dir, snapshot([gap(OTHER, null, "sts:AssumeRole", null)]));
    await mkdir(path.join(dir, `accounts/${OTHER}`), { recursive: true });

    // When it is read
    const read = await readSnapshotDir(dir);

    // Then only the readable account is there, and the gap says why the other is not
    expect(read.accounts.map((a) => a.accountId)).toEqual([ACCOUNT]);
    expect(read.gaps.map((g) => [g.accountId, g.api])).toEqual([[OTHER, "sts:AssumeRole"]]);
  });

  it("AWS CLI v1 timestamps read as the same instants as v2's", async () => {
    // Given the same role and function as CLI v1 prints them (microseconds, nanoseconds, `Z`) and as v2 does (`+00:00`, `+0000`)
    const as = (createDate: string, lastModified: string): SnapshotFixtureSpec => ({
      accounts: {
        [ACCOUNT]: {
          authorizationDetails: authorizationDetails({ roles: [{ ...roleDetail({ accountId: ACCOUNT, name: "orders-fn-role" }), CreateDate: createDate }] }),
          regions: {
            "us-east-1": {
              listFunctions: { Functions: [functionConfiguration({ accountId: ACCOUNT, region: "us-east-1", name: "orders", roleArn: ROLE_ARN, overrides: { LastModified: lastModified } })] },
              listEventSourceMappings: { EventSourceMappings: [] },
            },
          },
        },
      },
    });
    const v1 = await readSnapshotDir(await writeSnapshotFixture(path.join(dir, "v1"), as("2026-12-02T04:48:09.258734Z", "2026-12-02T04:48:10.123456789Z")));
    const v2 = await readSnapshotDir(await writeSnapshotFixture(path.join(dir, "v2"), as("2026-12-02T04:48:09.258+00:00", "2026-12-02T04:48:10.123+0000")));

    // Then both read to the same snapshot
    expect(v1.accounts[0].roles[0].createDate).toBe("2026-12-02T04:48:09.258Z");
    expect(v1.accounts[0].functions[0].lastModified).toBe("2026-12-02T04:48:10.123Z");
    expect({ ...v1, source: null }).toEqual({ ...v2, source: null });
  });
});
