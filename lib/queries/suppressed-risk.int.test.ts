/**
 * Issue 11 leftovers, on the sample: a suppressed finding leaves the risk score and its explanation
 * on every surface (not only the list and the badge), and the HTML report shows what escalation adds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { renderReport } from "@/lib/report/render-report";
import { deleteSuppressions, saveSuppression } from "@/lib/store/suppressions";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { listFunctionsIn } from "./function-list";
import { buildJsonReport } from "./json-report";
import { functionGraphIn } from "./permission-graph";
import { loadScanView } from "./scan-view";

describe("risk after a suppression, and the HTML report's blast radius after escalation", () => {
  let t: TestDatabase;
  let scanId: number;

  beforeAll(async () => {
    t = await freshPglite();
    ({ scanId } = await scanSnapshotDir(t.db, "samples/acme", { now: "2026-11-01T00:00:00.000Z" }));
  }, 300_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it("drops a suppressed public-invoke finding's exposure from the score and explanation on the view, the list and the reports", async () => {
    // Given public-status-page, which anyone can invoke
    const q = "public-status-page";
    const before = (await buildJsonReport(t.db, scanId, { filter: { q } })).functions.find((f) => f.name === q)!;
    expect(before.risk!.explanation.join(" ")).toContain("anyone can invoke it");
    const finding = before.findings.find((f) => f.ruleId === "public-invoke")!;

    // When its public-invoke finding is suppressed
    await saveSuppression(t.db, { fingerprint: finding.fingerprint, reason: "public by design", expiresAt: null, createdBy: "test" });
    try {
      const report = await buildJsonReport(t.db, scanId, { filter: { q } });
      const after = report.functions.find((f) => f.name === q)!;
      // Then the report's explanation no longer names the exposure, and score and components agree with it
      expect(after.isPublic).toBe(false);
      expect(after.risk!.explanation.join(" ")).not.toContain("anyone can invoke it");
      expect(after.risk!.components.exposure).toBeLessThan(before.risk!.components.exposure);
      expect(after.riskScore).toBe(after.risk!.score);
      expect(after.riskScore).toBeLessThan(before.riskScore!);
      // And the risk view's list and the scan view show the same score
      const list = await listFunctionsIn(t.db, { scanId, filter: { q } });
      expect(list.rows.find((r) => r.name === q)!.riskScore).toBe(after.riskScore);
      const view = await loadScanView(t.db, scanId);
      expect(view.functions.find((f) => f.name === q)!.riskScore).toBe(after.riskScore);
      // And its graph page heads with the same score and severity
      const graph = (await functionGraphIn(t.db, scanId, after.arn))!;
      expect(graph.function).toMatchObject({ riskScore: after.riskScore, severity: after.severity });
      // And the HTML report says the same
      const html = renderReport(report, "html").body;
      const section = html.slice(html.indexOf(`<h3><bdi>${q}</bdi>`));
      expect(section.length).toBeGreaterThan(100);
      expect(section).not.toContain("anyone can invoke it");
      expect(section).toContain(`${after.riskScore}/100`);
    } finally {
      await deleteSuppressions(t.db, [finding.fingerprint]);
    }
    // And unsuppressing restores the stored score
    const restored = (await buildJsonReport(t.db, scanId, { filter: { q } })).functions.find((f) => f.name === q)!;
    expect(restored.riskScore).toBe(before.riskScore);
    expect(restored.risk!.explanation).toEqual(before.risk!.explanation);
  });

  it("shows the blast radius after escalation in the HTML report, labelled as the JSON report labels it", async () => {
    // Given deploy-helper, which can escalate to a role with data-store access
    const report = await buildJsonReport(t.db, scanId, { filter: { q: "deploy-helper" } });
    const fn = report.functions.find((f) => f.name === "deploy-helper")!;
    const after = fn.blastRadius!.afterEscalation!;
    expect(after.via.length).toBeGreaterThan(0);
    // When the HTML report is rendered
    const html = renderReport(report, "html").body;
    // Then it has "Directly" and "After escalation, via <role> (<method>)", with the data stores gained
    expect(html).toContain("Directly, with its own role");
    const role = after.via[0].roleArn.split("/").pop()!;
    expect(html).toMatch(new RegExp(`After escalation, via <code>${role}</code> \\(${after.via[0].method}`));
    const gained = [...after.dataStores.read, ...after.dataStores.write][0];
    const afterPart = html.slice(html.indexOf("After escalation, via"));
    expect(afterPart).toContain(gained.resource);
  });
});
