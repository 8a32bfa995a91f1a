import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/audit/analyze-snapshot";
import type { ReachedFunction } from "@/lib/analysis/types";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { decodeRoleReach, encodeRoleReach } from "./role-reach-codec";

const fn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;

describe("role reach codec", () => {
  it("gives back exactly every role's reach of the sample, in far fewer bytes", async () => {
    // Given the sample's stored reach of every role
    const analysis = await analyzeSnapshot(await readSnapshotDir(path.resolve(import.meta.dirname, "../../samples/acme")), { now: "2026-11-01T00:00:00.000Z" });
    const reaches = [...analysis.functions.values()].flatMap((f) => (f.roleReach && f.roleReach.length ? [f.roleReach] : []));
    expect(reaches.length).toBeGreaterThan(3);
    let plain = 0;
    let compact = 0;
    for (const reach of reaches) {
      // When encoded as stored and decoded (through JSON, as the database keeps it)
      const stored = JSON.stringify(encodeRoleReach(reach));
      const back = decodeRoleReach(JSON.parse(stored), "role x");
      // Then every entry, path, reason and flag is the same
      expect(back).toEqual(reach);
      plain += JSON.stringify(reach).length;
      compact += stored.length;
    }
    expect(compact).toBeLessThan(plain / 2);
  });

  it("keeps texts that contain its placeholder characters as written", () => {
    const reach: ReachedFunction[] = [
      { arn: fn("b"), hops: 1, path: [{ from: "", to: fn("b"), kind: "can-invoke", reason: "odd \u0001 \u0002 reason naming arn:aws:lambda:us-east-1:111111111111:function:b", shortReason: "x → b", conditional: true }] },
    ];
    expect(decodeRoleReach(JSON.parse(JSON.stringify(encodeRoleReach(reach))), "role x")).toEqual(reach);
  });

  it("reads the plain list scans stored before the codec", () => {
    const reach: ReachedFunction[] = [{ arn: fn("b"), hops: 1, path: [{ from: "", to: fn("b"), kind: "can-invoke", reason: "r", shortReason: "s", conditional: false }] }];
    expect(decodeRoleReach(JSON.parse(JSON.stringify(reach)), "role x")).toEqual(reach);
  });

  it("refuses a malformed value, naming the role", () => {
    expect(() => decodeRoleReach({ v: 1, nodes: [], texts: [], steps: [], entries: [[0, 1, 0]] }, "role arn:aws:iam::1:role/r")).toThrow(/role arn:aws:iam::1:role\/r is malformed/);
    expect(() => decodeRoleReach([{ arn: "x" }], "role r")).toThrow(/entry 0/);
    expect(() => decodeRoleReach({ v: 2 }, "role r")).toThrow(/not a version 1 reach/);
  });
});
