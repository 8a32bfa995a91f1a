import { describe, expect, it } from "vitest";
import { reportSource } from "./build-json-report";
import { renderReport, REPORT_FORMATS, streamReport, streamReportBytes } from "./render-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";
import { toSarif } from "./sarif-report";

const report = jsonReport([
  reportFunction({ name: "api", riskScore: 12, findings: [reportFinding(), reportFinding({ ruleId: "public-invoke", severity: "medium", reason: 'line\nbreak "quoted"' })] }),
  reportFunction({ name: "worker", riskScore: 60, severity: "critical", findings: [] }),
  reportFunction({ name: "quiet", riskScore: 2, severity: "info", incomplete: [{ api: "lambda:GetPolicy", reason: "AccessDenied" }], findings: [reportFinding({ severity: "low" })] }),
]);
const empty = jsonReport([]);
const shared = { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: "*", Condition: { StringEquals: { "aws:x": "y" } } }] };
const withPolicies = jsonReport([
  reportFunction({
    name: "a",
    policies: [
      { name: "ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess", kind: "aws-managed", document: shared },
      { name: "inline", arn: null, kind: "inline", document: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] } },
      { name: "gone", arn: "arn:aws:iam::222222222222:policy/gone", kind: "customer-managed", document: null },
    ],
    permissionsBoundary: { name: "boundary", arn: "arn:aws:iam::222222222222:policy/boundary", kind: "customer-managed", document: shared },
  }),
  // A reason quoting what a document token might look like is left alone.
  reportFunction({ name: "b", policies: [{ name: "ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess", kind: "aws-managed", document: shared }], findings: [reportFinding({ reason: "\u0000doc0\u0000 and \\u0000x:0\\u0000" })] }),
]);

// One permission set's services and data stores, and one role's recommendation, on two functions (the same objects, as the store hands them out).
const radius = {
  rolesPassable: [],
  rolesAssumable: [],
  reachableFunctions: [],
  escalationPaths: [],
  totals: { actions: 2, services: 1, resources: 1, reachableFunctions: 0 },
  afterEscalation: null,
  services: [{ service: "s3", levels: [{ level: "Read" as const, actions: ["s3:GetObject", "s3:ListBucket"], actionCount: 2, resources: ["*"] }] }],
  dataStores: { read: [{ service: "s3", resource: "*", actions: ["s3:GetObject"], conditional: false }], write: [], delete: [] },
};
const recommended = { document: { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: "*" }] }, confidence: "configuration-only" as const, notes: ["a note → with “quotes” — and an emoji 🔑"], diff: "- s3:*\n+ s3:GetObject", removedActions: ["s3:PutObject"], removedActionCount: 1 };
const sharedAnalysis = jsonReport([
  reportFunction({ name: "one", blastRadius: radius, recommendedPolicy: recommended }),
  reportFunction({ name: "two", blastRadius: { ...radius, rolesPassable: ["arn:aws:iam::222222222222:role/x"] }, recommendedPolicy: recommended }),
  reportFunction({ name: "three", blastRadius: { ...radius, services: [], dataStores: { read: [], write: [], delete: [] } }, recommendedPolicy: null }),
]);

// Past one chunk of a download: a reason longer than a chunk (multi-byte characters included), between many small functions.
const large = jsonReport([
  ...Array.from({ length: 150 }, (_, i) => reportFunction({ name: `fn-${i}`, findings: [reportFinding({ reason: `reason ${i} — “quoted” 🔑` })] })),
  reportFunction({ name: "long", findings: [reportFinding({ reason: "a long reason — é 🔑 ".repeat(12_000) })] }),
  ...Array.from({ length: 150 }, (_, i) => reportFunction({ name: `gn-${i}` })),
]);

async function collect(pieces: AsyncIterable<string>): Promise<{ text: string; count: number }> {
  let text = "";
  let count = 0;
  for await (const p of pieces) {
    text += p;
    count += 1;
  }
  return { text, count };
}

describe("streamed exports", () => {
  it.each(REPORT_FORMATS)("%s: the streamed pieces join to the same bytes as the in-memory rendering", async (format) => {
    // Given a report with several functions, one without findings
    // When it is streamed piece by piece and rendered at once
    const streamed = await collect(streamReport(reportSource(report), format));
    // Then both are the same text, and the first piece came before any function record
    expect(streamed.text).toBe(renderReport(report, format).body);
    expect(streamed.count).toBeGreaterThan(1);
  });

  it.each(REPORT_FORMATS)("%s: the UTF-8 chunks a download is sent in are the same bytes", async (format) => {
    // Given reports with shared policy documents, blast radii, recommendations and non-ASCII text
    for (const r of [report, withPolicies, sharedAnalysis, empty, large]) {
      // When each is streamed as bytes
      const chunks: Uint8Array[] = [];
      for await (const chunk of streamReportBytes(reportSource(r), format)) chunks.push(chunk);
      // Then the bytes are the UTF-8 of the in-memory rendering
      expect(Buffer.concat(chunks).equals(Buffer.from(renderReport(r, format).body))).toBe(true);
    }
  });

  it.each(REPORT_FORMATS)("%s: an empty report streams to the same bytes too", async (format) => {
    // Given a report with no function
    // When it is streamed
    const streamed = await collect(streamReport(reportSource(empty), format));
    // Then it equals the in-memory rendering
    expect(streamed.text).toBe(renderReport(empty, format).body);
  });

  it("JSON and SARIF are byte for byte what JSON.stringify writes of the whole document", async () => {
    // Given the report
    // When it is streamed as JSON and SARIF
    const json = await collect(streamReport(reportSource(report), "json"));
    const sarif = await collect(streamReport(reportSource(report), "sarif"));
    // Then each equals the whole document serialized at once
    expect(json.text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(sarif.text).toBe(`${JSON.stringify(toSarif(report), null, 2)}\n`);
    expect((await collect(streamReport(reportSource(empty), "json"))).text).toBe(`${JSON.stringify(empty, null, 2)}\n`);
    // Policy documents, serialized once and spliced into each record, read the same too.
    expect((await collect(streamReport(reportSource(withPolicies), "json"))).text).toBe(`${JSON.stringify(withPolicies, null, 2)}\n`);
    // And so do blast radii and recommendations that functions share.
    expect((await collect(streamReport(reportSource(sharedAnalysis), "json"))).text).toBe(`${JSON.stringify(sharedAnalysis, null, 2)}\n`);
  });

  it("HTML writes the functions table before reading any function's full record", async () => {
    // Given a source that records when a full record is asked for
    const source = reportSource(report);
    let read = false;
    const inner = source.functions.bind(source);
    source.functions = async function* (order) {
      read = true;
      yield* inner(order);
    };
    // When the pieces are taken until a full record is asked for
    const pieces: string[] = [];
    for await (const piece of streamReport(source, "html")) {
      if (read) break;
      pieces.push(piece);
    }
    // Then those pieces already list every function
    for (const name of ["api", "worker", "quiet"]) expect(pieces.join("")).toContain(`>${name}</bdi>`);
  });

  it("HTML sends the page's head before it writes the table of functions", async () => {
    // Given a report with functions
    // When the first piece is taken
    const first = (await streamReport(reportSource(report), "html").next()).value as string;
    // Then it is the page up to the table's rows: the download starts before the table is written
    expect(first).toContain('<section id="summary">');
    expect(first.endsWith("<tbody>\n")).toBe(true);
    expect(first).not.toContain("</bdi></a>");
  });
});
