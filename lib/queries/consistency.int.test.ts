/**
 * One answer everywhere (issue 11): for the sample and a generated 1,000-function organization,
 * each with a coverage gap, the risk view's data, its four exports, the JSON report and the CI
 * gate list the same functions and findings for every filter combination; suppressing and
 * unsuppressing moves all of them together; "public" has one definition.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES } from "@/lib/analysis/types";
import { gate } from "@/cli/check-command";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { renderReport } from "@/lib/report/render-report";
import { deleteSuppressions, saveSuppression } from "@/lib/store/suppressions";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import type { SarifLog } from "@/lib/report/sarif-report";
import { listFunctionsIn, selectFunctions } from "./function-list";
import { deployFunctions, snapshotAccountIds } from "@/scripts/lib/mutate-snapshot";
import { diffScanViews, diffStoredScans } from "./diff-scans";
import { buildJsonReport } from "./json-report";
import { loadScanView } from "./scan-view";
import type { ViewFilter } from "./view-filter";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-consistency-"));

/** A copy of a snapshot directory with one recorded gap: lambda:GetPolicy denied in one account and region. */
function withGap(src: string, name: string, accountId: string, region: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(src, dir, { recursive: true });
  const gap = { accountId, region, api: "lambda:GetPolicy", file: null, message: "AccessDeniedException: User is not authorized to perform: lambda:GetPolicy" };
  fs.writeFileSync(path.join(dir, "saltzer-coverage-gaps.json"), JSON.stringify({ Gaps: [gap] }));
  return dir;
}

/** A selection as comparable sets: function ARNs and "arn fingerprint" of each finding. */
interface Selection {
  functions: string[];
  findings: string[];
}
const sel = (functions: string[], findings: string[]): Selection => ({ functions: [...new Set(functions)].sort(), findings: [...findings].sort() });

function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && body[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

const FILTERS = (accounts: string[], regions: string[], runtime: string, text: string, action: string): ViewFilter[] => [
  {},
  { severity: "critical" },
  { severity: "high" },
  { severity: "medium" },
  { category: "public-invoke" },
  { category: "privilege-escalation" },
  { category: "data-exfiltration", severity: "high" },
  { account: accounts[0] },
  { account: accounts[1], severity: "high" },
  { region: regions[0] },
  { region: regions[regions.length - 1], category: "credentials-exposure" },
  { public: true },
  { public: false, severity: "high" },
  { sharedRole: true },
  { sharedRole: false, category: "admin-access" },
  { incomplete: true },
  { incomplete: false, severity: "medium" },
  { incomplete: true, public: false },
  { suppressed: "include" },
  { suppressed: "only" },
  { suppressed: "include", severity: "high", category: "public-invoke" },
  { q: text },
  { q: text.toUpperCase(), severity: "low" },
  // Text that only findings name: an action (in AWS's case, as a user types it), with severity and with suppressed ones.
  { q: action },
  { q: action, severity: "high" },
  { q: action.toLowerCase(), suppressed: "include", account: accounts[0] },
  // Text with a filter on the findings listed: a function its text names lists only those of them.
  { q: text, suppressed: "only" },
  { q: text, category: "admin-access" },
  { runtime },
  { account: accounts[0], region: regions[0], severity: "medium", sharedRole: true },
];

describe.each([
  { name: "the sample", source: () => withGap(path.join(ROOT, "samples/acme"), "acme", "222222222222", "us-east-1"), text: "api", action: "s3:PutObject" },
  {
    name: "a generated 1,000-function organization",
    source: () => {
      const out = path.join(tmp, "org1k-src");
      execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/gen-org.ts"), "--functions", "1000", "--accounts", "6", "--seed", "11", "--out", out, "--force"], { cwd: ROOT, stdio: "pipe" });
      const firstAccount = fs.readdirSync(path.join(out, "accounts")).sort()[0];
      return withGap(out, "org1k", firstAccount, "us-east-1");
    },
    text: "a",
    action: "dynamodb:Scan",
  },
])("one answer everywhere: $name", ({ source, text, action }) => {
  let t: TestDatabase;
  let scanId: number;
  let filters: ViewFilter[];
  let dir: string;

  /** Every surface's selection for a filter. */
  async function surfaces(filter: ViewFilter) {
    // The risk view's data: the query the page renders (its first page), and every page's rows in order.
    const view = await loadScanView(t.db, scanId, { search: Boolean(filter.q) });
    const firstPage = await listFunctionsIn(t.db, { scanId, filter, page: 1, pageSize: 200 });
    const all = selectFunctions(view, { filter });
    expect(firstPage.rows.map((r) => r.arn)).toEqual(all.slice(0, 200).map((f) => f.arn));
    expect(firstPage.total).toBe(all.length);
    // The page's verdicts are the view's: the score and severity after riskWithout, the "Why" (worst unsuppressed finding).
    const shown = (r: { arn: string; riskScore: number | null; severity: string | null; isPublic: boolean; worstFinding: unknown }, findingCount: number) => ({ arn: r.arn, riskScore: r.riskScore, severity: r.severity, isPublic: r.isPublic, findingCount, worstFinding: r.worstFinding });
    expect(firstPage.rows.map((r) => shown(r, r.findingCount))).toEqual(all.slice(0, 200).map((f) => shown(f, f.findings.length)));
    const listed = all.map((f) => f.arn);
    const findingTotal = firstPage.findingTotal;
    const report = await buildJsonReport(t.db, scanId, { filter });
    const json = JSON.parse(renderReport(report, "json").body) as typeof report;
    const csv = parseCsv(renderReport(report, "csv").body);
    const header = csv[0];
    const sarif = JSON.parse(renderReport(report, "sarif").body) as SarifLog;
    // HTML of a large selection is slow to render on a shared CI machine: checked up to 300 functions.
    const html = report.functions.length <= 300 ? renderReport(report, "html").body : null;
    const failOn = filter.severity ?? "info";
    const checked = gate(view.functions, filter, failOn, null, true, []);
    const pairs = (fns: { arn: string; findings: { fingerprint: string }[] }[]) => fns.flatMap((f) => f.findings.map((x) => `${f.arn} ${x.fingerprint}`));
    return {
      listed,
      findingTotal,
      report: sel(
        report.functions.map((f) => f.arn),
        pairs(report.functions),
      ),
      json: sel(
        json.functions.map((f) => f.arn),
        pairs(json.functions),
      ),
      csv: sel(
        csv.slice(1).map((r) => r[header.indexOf("function_arn")]),
        csv.slice(1).map((r) => `${r[header.indexOf("function_arn")]} ${r[header.indexOf("fingerprint")]}`),
      ),
      sarif: sarif.runs[0].results.map((r) => `${r.locations[0].logicalLocations[0].fullyQualifiedName} ${r.partialFingerprints["saltzerFingerprint/v1"]}`).sort(),
      html,
      htmlRows: html === null ? null : (html.match(/<tr><td><a href="#/g) ?? []).length,
      names: report.functions.map((f) => f.name),
      checkCount: checked.offending.length,
      unsuppressedInView: report.functions.reduce((n, f) => n + f.findings.filter((x) => !x.suppressed).length, 0),
      // The report's summary counts what it lists: its unsuppressed findings by severity.
      summaryBySeverity: report.summary.findingsBySeverity,
      listedBySeverity: Object.fromEntries(SEVERITIES.map((sev) => [sev, report.functions.reduce((n, f) => n + f.findings.filter((x) => !x.suppressed && x.severity === sev).length, 0)])),
      suppressedInSummary: report.summary.suppressedFindings,
    };
  }

  beforeAll(async () => {
    dir = source();
    t = await freshPglite();
    ({ scanId } = await scanSnapshotDir(t.db, dir, { now: "2026-11-01T00:00:00.000Z" }));
    const view = await loadScanView(t.db, scanId);
    const accounts = [...new Set(view.functions.map((f) => f.accountId))].sort();
    const regions = [...new Set(view.functions.map((f) => f.region))].sort();
    const runtime = view.functions.find((f) => f.runtime)?.runtime ?? "python3.12";
    // One suppression before the comparisons, so "suppressed" filters select something.
    const target = view.functions.find((f) => f.findings.length > 1)!;
    await saveSuppression(t.db, { fingerprint: target.findings[1].fingerprint, reason: "accepted for the test", expiresAt: null, createdBy: "test" });
    filters = FILTERS(accounts, regions, runtime, text, action);
  }, 600_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it("lists the same functions and findings in the view, its four exports and the gate, for 30 filter combinations", async () => {
    expect(filters.length).toBeGreaterThanOrEqual(20);
    let nonEmpty = 0;
    for (const filter of filters) {
      const s = await surfaces(filter);
      const label = JSON.stringify(filter);
      expect(s.report.functions, label).toEqual([...s.listed].sort());
      expect(s.json, label).toEqual(s.report);
      expect(s.csv.findings, label).toEqual(s.report.findings);
      expect(s.sarif, label).toEqual(s.report.findings);
      expect(s.findingTotal, label).toBe(s.report.findings.length);
      if (s.html !== null) {
        expect(s.htmlRows, label).toBe(s.report.functions.length);
        for (const name of s.names) expect(s.html, label).toContain(name);
      }
      // The gate at the filter's severity counts exactly the view's unsuppressed findings.
      expect(s.checkCount, label).toBe(s.unsuppressedInView);
      expect(s.summaryBySeverity, label).toEqual(s.listedBySeverity);
      // Suppressed findings are counted as the same filter with "only suppressed" lists them.
      if (filter.suppressed === "only") expect(s.suppressedInSummary, label).toBe(s.report.findings.length);
      if (s.listed.length > 0) nonEmpty += 1;
    }
    // The combinations are not vacuous.
    expect(nonEmpty).toBeGreaterThanOrEqual(18);
  }, 1_800_000);

  it("counts in the whole organization's report summary the suppressed findings the view lists as suppressed", async () => {
    const all = await buildJsonReport(t.db, scanId);
    const only = await buildJsonReport(t.db, scanId, { filter: { suppressed: "only" } });
    const suppressed = only.functions.reduce((n, f) => n + f.findings.length, 0);
    expect(suppressed).toBeGreaterThan(0);
    expect(all.summary.suppressedFindings).toBe(suppressed);
    expect(only.summary.suppressedFindings).toBe(suppressed);
  });

  it("finds functions by an action their findings name, listing only the findings that name it", async () => {
    // Given a search for an action no function is named after
    const report = await buildJsonReport(t.db, scanId, { filter: { q: action } });
    // Then some functions are listed, and each listed finding names the action (in any case)
    expect(report.functions.length).toBeGreaterThan(0);
    for (const fn of report.functions) {
      expect(fn.name.toLowerCase()).not.toContain(action.toLowerCase());
      for (const f of fn.findings) expect([...f.actions, ...f.resources].some((x) => x.toLowerCase().includes(action.toLowerCase())), `${fn.name} ${f.ruleId}`).toBe(true);
    }
  });

  it("lists the same page for a text search however it reads the matching terms, texts and findings", async () => {
    // Given every text filter of the suite, and texts every function's ARN holds
    const texts = [...filters.filter((f) => f.q !== undefined), { q: "a" }, { q: "lambda" }, { q: action, severity: "high" as const }];
    for (const filter of texts) {
      // When the risk view lists it by index reads, with the matching texts hashed, and (a text most
      // terms hold) matching only the findings of the functions the text does not name
      const byIndex = await listFunctionsIn(t.db, { scanId, filter, pageSize: 200 });
      const textsHashed = await listFunctionsIn(t.db, { scanId, filter, pageSize: 200, broadAfter: { terms: 1e9, texts: 0 } });
      const rest = await listFunctionsIn(t.db, { scanId, filter, pageSize: 200, broadAfter: 0 });
      // Then all three list the same functions, counts and findings
      const label = JSON.stringify(filter);
      for (const other of [textsHashed, rest]) {
        expect(other.rows.map((r) => [r.arn, r.findingCount]), label).toEqual(byIndex.rows.map((r) => [r.arn, r.findingCount]));
        expect([other.total, other.findingTotal], label).toEqual([byIndex.total, byIndex.findingTotal]);
      }
    }
    expect(texts.length).toBeGreaterThanOrEqual(8);
  });

  it("marks every function of the account and region with the gap as incomplete, in the view and the report", async () => {
    const report = await buildJsonReport(t.db, scanId, { filter: { incomplete: true } });
    expect(report.functions.length).toBeGreaterThan(0);
    for (const fn of report.functions) {
      expect(fn.incomplete).toEqual([{ api: "lambda:GetPolicy", reason: "AccessDeniedException" }]);
      expect(fn.region).toBe("us-east-1");
      expect(fn.risk?.explanation.join(" ")).toMatch(/could not read lambda:GetPolicy/);
    }
    const complete = await buildJsonReport(t.db, scanId, { filter: { incomplete: false } });
    for (const fn of complete.functions) expect(fn.incomplete).toEqual([]);
  });

  it("keeps isPublic equal to 'has an unsuppressed public-invoke finding', in the store and in the view", async () => {
    const view = await loadScanView(t.db, scanId);
    const stored = await t.db.prisma.lambdaFunction.findMany({ where: { scanId }, select: { arn: true, isPublic: true } });
    const storedPublic = new Map(stored.map((s) => [s.arn, s.isPublic]));
    for (const fn of view.functions) {
      expect(fn.isPublic, fn.arn).toBe(fn.findings.some((f) => f.ruleId === "public-invoke" && !f.suppressed));
      // Stored at analysis time, before any suppression: the public-invoke finding alone.
      expect(storedPublic.get(fn.arn), fn.arn).toBe(fn.findings.some((f) => f.ruleId === "public-invoke"));
    }
  });

  it("never shows a function below its worst unsuppressed finding, and critical only with a critical finding", async () => {
    const view = await loadScanView(t.db, scanId);
    const rank = ["critical", "high", "medium", "low", "info"];
    for (const fn of view.functions) {
      const worst = Math.min(...fn.findings.filter((f) => !f.suppressed).map((f) => rank.indexOf(f.severity)), 4);
      expect(rank.indexOf(fn.severity ?? "info"), fn.arn).toBeLessThanOrEqual(worst);
      if (fn.severity === "critical") expect(fn.findings.some((f) => !f.suppressed && f.severity === "critical"), fn.arn).toBe(true);
    }
  });

  it("puts every action of a data finding in the blast radius, under the same heading", async () => {
    const report = await buildJsonReport(t.db, scanId, { filter: { suppressed: "include" } });
    let checked = 0;
    for (const fn of report.functions) {
      const br = fn.blastRadius!;
      const read = new Set(br.dataStores.read.flatMap((d) => d.actions));
      const write = new Set([...br.dataStores.write, ...br.dataStores.delete].flatMap((d) => d.actions));
      for (const f of fn.findings) {
        if (f.ruleId === "data-store-read-all") for (const a of f.actions) expect(read.has(a), `${fn.name} ${a}`).toBe(true);
        if (f.ruleId === "data-store-write-all") for (const a of f.actions) expect(write.has(a), `${fn.name} ${a}`).toBe(true);
        if (f.ruleId === "data-store-read-all" || f.ruleId === "data-store-write-all") checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("moves every surface together when a public-invoke finding is suppressed and unsuppressed", async () => {
    const view = await loadScanView(t.db, scanId);
    const fn = view.functions.find((f) => f.isPublic && f.findings.filter((x) => x.ruleId === "public-invoke").length === 1);
    if (!fn) return expect(view.functions.some((f) => f.isPublic)).toBe(false);
    const finding = fn.findings.find((x) => x.ruleId === "public-invoke")!;
    const before = await surfaces({ category: "public-invoke" });
    const publicBefore = await surfaces({ public: true });
    expect(before.listed).toContain(fn.arn);

    await saveSuppression(t.db, { fingerprint: finding.fingerprint, reason: "public by design", expiresAt: null, createdBy: "test" });
    const after = await surfaces({ category: "public-invoke" });
    const publicAfter = await surfaces({ public: true });
    for (const s of [after, publicAfter]) {
      expect(s.listed).not.toContain(fn.arn);
      expect(s.report.functions).not.toContain(fn.arn);
      expect(s.csv.functions).not.toContain(fn.arn);
      expect(s.sarif.some((x) => x.startsWith(`${fn.arn} `))).toBe(false);
    }
    expect(after.checkCount).toBe(before.checkCount - 1);
    expect(publicAfter.listed.length).toBe(publicBefore.listed.length - 1);
    const shown = await buildJsonReport(t.db, scanId, { filter: { suppressed: "only", category: "public-invoke" } });
    expect(shown.functions.map((f) => f.arn)).toContain(fn.arn);
    expect(shown.functions.find((f) => f.arn === fn.arn)!.findings[0].suppression?.createdBy).toBe("test");

    await deleteSuppressions(t.db, [finding.fingerprint]);
    const restored = await surfaces({ category: "public-invoke" });
    expect(restored.report).toEqual(before.report);
    expect(restored.checkCount).toBe(before.checkCount);
  });

  it("stops applying an expired suppression and says so", async () => {
    const view = await loadScanView(t.db, scanId);
    const fn = view.functions.find((f) => f.findings.some((x) => !x.suppressed))!;
    const finding = fn.findings.find((x) => !x.suppressed)!;
    await saveSuppression(t.db, { fingerprint: finding.fingerprint, reason: "until the migration", expiresAt: new Date("2026-11-15T23:59:59Z"), createdBy: "test" });
    // Before the expiry it applies; after, it does not, and the report names it as expired.
    const during = await buildJsonReport(t.db, scanId, { filter: { suppressed: "only" }, now: new Date("2026-11-10T00:00:00Z") });
    expect(during.functions.flatMap((f) => f.findings).map((f) => f.fingerprint)).toContain(finding.fingerprint);
    const after = await buildJsonReport(t.db, scanId, { filter: { q: fn.arn }, now: new Date("2026-11-20T00:00:00Z") });
    const shown = after.functions[0].findings.find((f) => f.fingerprint === finding.fingerprint)!;
    expect(shown.suppressed).toBe(false);
    expect(shown.expiredSuppression?.reason).toBe("until the migration");
    await deleteSuppressions(t.db, [finding.fingerprint]);
  });

  it("diffs two scans from the changed functions alone exactly as from both whole views", async () => {
    // Given a rescan after a deployment in one account (and the suppression saved before all tests)
    deployFunctions(dir, snapshotAccountIds(dir).slice(0, 1));
    const { scanId: later } = await scanSnapshotDir(t.db, dir, { now: "2026-11-02T00:00:00.000Z" });
    // When the diff page reads the diff, Then it is the diff of the two whole views
    const full = diffScanViews(await loadScanView(t.db, scanId), await loadScanView(t.db, later));
    expect(full.changes.length).toBeGreaterThan(0);
    expect(await diffStoredScans(t.db, scanId, later)).toEqual(full);
    // and again from the stored candidates, and the other way round
    expect(await diffStoredScans(t.db, scanId, later)).toEqual(full);
    expect(await diffStoredScans(t.db, later, scanId)).toEqual(diffScanViews(await loadScanView(t.db, later), await loadScanView(t.db, scanId)));
  }, 600_000);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
