/** The suppression register (/suppressions and its exports) lists what the store holds, as the scan saw it. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { deleteSuppressions, saveSuppression } from "@/lib/store/suppressions";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { loadScanView } from "./scan-view";
import { describeMaker, findingSubject, registerToCsv, registerToJson, suppressionRegister } from "./suppression-register";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");
let t: TestDatabase;
let scanId: number;

beforeAll(async () => {
  t = await freshPglite();
  ({ scanId } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-01T00:00:00.000Z" }));
}, 240_000);
afterAll(async () => t?.dispose());

async function findingOf(name: string, ruleId: string) {
  const view = await loadScanView(t.db, scanId);
  const fn = view.functions.find((f) => f.name === name)!;
  return { fn, finding: fn.findings.find((f) => f.ruleId === ruleId)! };
}

describe("suppressionRegister", () => {
  it("lists a dashboard and a CLI suppression with function, rule, reason, maker, dates, and an expired one marked", async () => {
    // Given public-status-page's public-invoke suppressed from the dashboard (which records only the fingerprint and the subject it looks up)
    const pub = await findingOf("public-status-page", "public-invoke");
    const subject = await findingSubject(t.db, pub.finding.fingerprint);
    await saveSuppression(t.db, { fingerprint: pub.finding.fingerprint, reason: "Public by design: status page", expiresAt: null, createdBy: "dashboard", ...subject });
    // And secret-rotator's finding suppressed by the CLI with an expiry already past
    const sec = await findingOf("secret-rotator", "credential-access");
    await saveSuppression(t.db, { fingerprint: sec.finding.fingerprint, reason: "Rotation needs all secrets", expiresAt: new Date("2026-01-31T23:59:59Z"), createdBy: "cli:alice", functionArn: sec.fn.arn, ruleId: sec.finding.ruleId });

    // When the register is read against the scan
    const register = await suppressionRegister(t.db, scanId, new Date("2026-11-02T00:00:00Z"));

    // Then both are listed with their function, rule, finding, reason and maker; the past expiry is marked expired
    expect(register.activeCount).toBe(1);
    expect(register.expiredCount).toBe(1);
    const byName = new Map(register.entries.map((e) => [e.functionName, e]));
    expect(byName.get("public-status-page")).toMatchObject({
      status: "active",
      functionArn: pub.fn.arn,
      ruleId: "public-invoke",
      reason: "Public by design: status page",
      madeBy: "Dashboard",
      expiresAt: null,
      accountId: "222222222222",
      finding: { severity: pub.finding.severity, title: pub.finding.title },
    });
    expect(byName.get("secret-rotator")).toMatchObject({ status: "expired", madeBy: "CLI (alice)", expiresAt: "2026-01-31T23:59:59.000Z" });
    expect(byName.get("secret-rotator")!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // And the CSV and JSON exports carry the same rows
    const csv = registerToCsv(register).trimEnd().split("\r\n");
    expect(csv[0]).toBe("status,function_name,function_arn,account_id,region,rule_id,finding_title,finding_severity,reason,created_by,created_at,expires_at,in_scan,fingerprint");
    expect(csv).toHaveLength(3);
    expect(csv.some((line) => line.startsWith("expired,secret-rotator,") && line.includes(",cli:alice,"))).toBe(true);
    const json = JSON.parse(registerToJson(register));
    expect(json.suppressions.map((s: { fingerprint: string }) => s.fingerprint).sort()).toEqual([pub.finding.fingerprint, sec.finding.fingerprint].sort());

    // And once unsuppressed (the store write the register's button uses), it is gone from the register
    await deleteSuppressions(t.db, [pub.finding.fingerprint]);
    const after = await suppressionRegister(t.db, scanId, new Date("2026-11-02T00:00:00Z"));
    expect(after.entries.map((e) => e.functionName)).toEqual(["secret-rotator"]);
  });

  it("names the maker of a suppressions-file entry and a CLI entry for people", () => {
    expect(describeMaker("file:suppressions.yaml")).toBe("File suppressions.yaml");
    expect(describeMaker("cli:bob")).toBe("CLI (bob)");
    expect(describeMaker("dashboard")).toBe("Dashboard");
  });
});

