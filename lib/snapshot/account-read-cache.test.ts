import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSnapshotDir, type ReadSnapshotProgress } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { authorizationDetails, functionConfiguration, functionPolicyOutput, roleDetail, writeSnapshotFixture, type SnapshotFixtureSpec } from "@/lib/snapshot/test-fixtures";

const A = "111111111111";
const B = "222222222222";
const REGION = "us-east-1";
const roleArn = (account: string) => `arn:aws:iam::${account}:role/app-role`;
const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Two accounts of one function each; A's function names a queue `orders-queue` in a variable, beside a secret-looking value. */
function twoAccounts(dlqOfB: string | null = null): SnapshotFixtureSpec {
  const account = (id: string, name: string, extra: Record<string, unknown> = {}, env?: Record<string, string>) => ({
    authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: id, name: "app-role", inline: { all: ADMIN } })] }),
    regions: {
      [REGION]: {
        listFunctions: { Functions: [functionConfiguration({ accountId: id, region: REGION, name, roleArn: roleArn(id), env, overrides: extra })] },
        listEventSourceMappings: { EventSourceMappings: [] },
        getPolicy: { [name]: functionPolicyOutput({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: "*" }] }) },
      },
    },
  });
  return {
    accounts: {
      [A]: account(A, "orders", {}, { QUEUE: "orders-queue", NOTE: "canary-value-0042" }),
      [B]: account(B, "billing", dlqOfB ? { DeadLetterConfig: { TargetArn: dlqOfB } } : {}),
    },
  };
}

let dir: string;
let snapshot: string;
let cacheDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "saltzer-read-cache-"));
  snapshot = path.join(dir, "org");
  cacheDir = path.join(dir, "cache");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads with the cache; returns the snapshot and how many files were parsed. */
async function cachedRead(codeVersion = "test-1") {
  let last: ReadSnapshotProgress | null = null;
  const read = await readSnapshotDir(snapshot, { cache: { dir: cacheDir, codeVersion }, onProgress: (p) => (last = p) });
  return { read, parsed: (last as ReadSnapshotProgress | null)?.filesRead ?? -1 };
}

const cacheFiles = () => fs.readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe("reading a snapshot directory again (account read cache)", () => {
  it("parses only the files of accounts that changed, and reads what a first read gives", async () => {
    // Given a snapshot read once
    await writeSnapshotFixture(snapshot, twoAccounts());
    const first = await cachedRead();
    expect(first.parsed).toBe(8);
    // When it is read again unchanged, then with one of B's files edited
    const again = await cachedRead();
    const policyFile = path.join(snapshot, `accounts/${B}/regions/${REGION}/lambda/get-policy/billing.json`);
    fs.writeFileSync(policyFile, JSON.stringify(functionPolicyOutput({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: "*" }] })));
    const edited = await cachedRead();
    // Then the unchanged read parses nothing and equals the first; the edited one parses B's four files and shows the edit
    expect(again.parsed).toBe(0);
    expect(again.read).toEqual(first.read);
    expect(edited.parsed).toBe(4);
    expect(edited.read).toEqual(await readSnapshotDir(snapshot));
    expect(JSON.stringify(edited.read.accounts[1].functions[0].resourcePolicy)).toContain('"Principal":"*"');
  });

  it("reports a file that became malformed, naming it, though its account was read before", async () => {
    await writeSnapshotFixture(snapshot, twoAccounts());
    await cachedRead();
    const file = `accounts/${A}/regions/${REGION}/lambda/list-functions.json`;
    fs.writeFileSync(path.join(snapshot, file), '{"Functions": [');
    const error = await cachedRead().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as SnapshotError).file).toBe(file);
  });

  it("sees a file added to a listed directory and a file replaced by a link out of the snapshot", async () => {
    await writeSnapshotFixture(snapshot, twoAccounts());
    await cachedRead();
    // A get-policy file for a function list-functions does not name: a gap, as on a first read.
    const extra = path.join(snapshot, `accounts/${A}/regions/${REGION}/lambda/get-policy/ghost.json`);
    fs.writeFileSync(extra, JSON.stringify(functionPolicyOutput(ADMIN)));
    const withExtra = await cachedRead();
    expect(withExtra.read.gaps.map((g) => g.file)).toContain(`accounts/${A}/regions/${REGION}/lambda/get-policy/ghost.json`);
    fs.rmSync(extra);
    const outside = path.join(dir, "outside.json");
    const authFile = path.join(snapshot, `accounts/${B}/iam/get-account-authorization-details.json`);
    fs.copyFileSync(authFile, outside);
    fs.rmSync(authFile);
    fs.symlinkSync(outside, authFile);
    await expect(cachedRead()).rejects.toThrow(/outside the snapshot directory/);
  });

  it("resolves a variable's name again when the resource it names appears in another account", async () => {
    // Given A's variable names orders-queue, which no account shows yet
    await writeSnapshotFixture(snapshot, twoAccounts());
    const before = await cachedRead();
    expect(before.read.accounts[0].functions[0].environment.find((v) => v.name === "QUEUE")?.referencedArns).toEqual([]);
    // When only B changes: its function's dead-letter queue is A's orders-queue
    const queue = `arn:aws:sqs:${REGION}:${A}:orders-queue`;
    await writeSnapshotFixture(snapshot, twoAccounts(queue));
    const after = await cachedRead();
    // Then A (whose files did not change) is read afresh: its variable now names the queue, as a first read says
    expect(after.read.accounts[0].functions[0].environment.find((v) => v.name === "QUEUE")?.referencedArns).toEqual([queue]);
    expect(after.read).toEqual(await readSnapshotDir(snapshot));
    expect(after.parsed).toBe(8);
  });

  it("keeps no environment variable value, and nothing of accounts no longer in the snapshot", async () => {
    await writeSnapshotFixture(snapshot, twoAccounts());
    await cachedRead();
    const text = cacheFiles().map((f) => fs.readFileSync(f, "utf8"));
    expect(text).toHaveLength(2);
    expect(text.join("\n")).not.toContain("canary-value-0042");
    expect(text.join("\n")).not.toContain('"orders-queue"');
    for (const file of cacheFiles()) expect(fs.statSync(file).mode & 0o077).toBe(0);
    fs.rmSync(path.join(snapshot, `accounts/${B}`), { recursive: true });
    await cachedRead();
    expect(cacheFiles().map((f) => path.basename(f))).toEqual([`${A}.json`]);
  });

  it("reads afresh with other reader code, and over a damaged entry", async () => {
    await writeSnapshotFixture(snapshot, twoAccounts());
    const first = await cachedRead();
    expect((await cachedRead("test-2")).parsed).toBe(8);
    for (const file of cacheFiles()) fs.writeFileSync(file, '{"format": 1, "key": ');
    const damaged = await cachedRead("test-2");
    expect(damaged.parsed).toBe(8);
    expect(damaged.read).toEqual(first.read);
    expect((await cachedRead("test-2")).parsed).toBe(0);
  });
});
