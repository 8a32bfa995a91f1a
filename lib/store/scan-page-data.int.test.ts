/** What a scan stores for the pages (search terms, role summaries, the diff against the scan before) answers as the per-request queries did. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { FINDING_SEARCH_TEXT_SQL } from "@/lib/queries/view-sql";
import { listRolesIn } from "@/lib/queries/role-list";
import { readScanAggregates } from "./scan-aggregates";
import { computeDiffCandidates } from "./scan-diff-candidates";
import { freshPglite, type TestDatabase } from "./test-support";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");
let t: TestDatabase;
let first: number;
let second: number;

beforeAll(async () => {
  t = await freshPglite();
  ({ scanId: first } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-01T00:00:00.000Z" }));
  ({ scanId: second } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-02T00:00:00.000Z" }));
}, 480_000);
afterAll(async () => t?.dispose());

/** The sets of search terms a scan's findings name (the index is shared by every scan). */
const scanTexts = `SELECT search_text_id FROM finding_verdicts WHERE scan_id = $1 AND search_text_id IS NOT NULL`;

/** Findings whose actions or resources contain `q`, through the stored terms (as the risk view's text search reads them). */
const byStoredTerms = async (scanId: number, q: string) =>
  (
    await t.db.query<{ id: number }>(
      `SELECT s.id FROM finding_verdicts s
        WHERE s.scan_id = $1 AND s.search_text_id IN (SELECT text_id FROM search_text_terms WHERE term_id IN (SELECT id FROM search_terms WHERE strpos(term, $2) > 0))
        ORDER BY 1`,
      [scanId, q],
    )
  ).map((r) => r.id);

/** The same, from each finding's details (what every request computed before). */
const byDetails = async (scanId: number, q: string) =>
  (await t.db.query<{ id: number }>(`SELECT id FROM findings f WHERE scan_id = $1 AND strpos(${FINDING_SEARCH_TEXT_SQL("f")}, $2) > 0 ORDER BY 1`, [scanId, q])).map((r) => r.id);

describe("stored page data", () => {
  it("finds by text the same findings through the stored terms as through each finding's details", async () => {
    // Given texts taken from the sample's own actions and resources (whole, a middle part, a prefix) and some it does not hold
    const terms = (await t.db.query<{ term: string }>(`SELECT term FROM search_terms WHERE id IN (SELECT term_id FROM search_text_terms WHERE text_id IN (${scanTexts})) ORDER BY term`, [second])).map((r) => r.term);
    expect(terms.length).toBeGreaterThan(10);
    const texts = new Set(["s3:putobject", "dynamodb", "arn:aws:s3:::", "*", ":", "no-such-thing", "iam:passrole"]);
    for (const term of terms.filter((_, i) => i % Math.ceil(terms.length / 12) === 0)) {
      texts.add(term);
      texts.add(term.slice(Math.floor(term.length / 3), Math.floor((2 * term.length) / 3) + 1));
      texts.add(term.slice(0, 5));
    }

    // When each is searched both ways, then both find the same findings
    for (const q of texts) expect(await byStoredTerms(second, q), q).toEqual(await byDetails(second, q));
    // And a text the sample names somewhere finds something (the comparison is not of two empty lists)
    expect((await byStoredTerms(second, "s3:putobject")).length).toBeGreaterThan(0);
  }, 240_000);

  it("lists roles from their stored summaries as grouped from the scan's functions", async () => {
    // Given every execution role with its functions, from the stored functions
    const functions = await t.db.query<{ arn: string; name: string; role_arn: string; risk_score: number | null }>(`SELECT arn, name, role_arn, risk_score FROM functions WHERE scan_id = $1`, [second]);
    const expected = new Map<string, { functionCount: number; worstScore: number | null; functions: string[] }>();
    for (const f of functions) {
      const e = expected.get(f.role_arn) ?? { functionCount: 0, worstScore: null, functions: [] };
      e.functionCount += 1;
      if (f.risk_score !== null) e.worstScore = Math.max(e.worstScore ?? -1, Number(f.risk_score));
      e.functions.push(f.name);
      expected.set(f.role_arn, e);
    }

    // When the roles page lists them, ten a page
    const pages = [];
    for (let page = 1; ; page++) {
      const list = await listRolesIn(t.db, second, { page, pageSize: 10 });
      pages.push(...list.rows);
      expect(list.total).toBe(expected.size);
      if (page >= list.pageCount) break;
    }

    // Then each role appears once, with its function count, worst score and functions, shared roles first
    expect(pages.map((r) => r.arn).sort()).toEqual([...expected.keys()].sort());
    for (const row of pages) {
      const e = expected.get(row.arn)!;
      expect({ functionCount: row.functionCount, worstScore: row.worstScore, functions: row.functions.map((f) => f.name).sort() }).toEqual({ ...e, functions: e.functions.sort() });
    }
    expect(pages.map((r) => r.functionCount)).toEqual(pages.map((r) => r.functionCount).sort((a, b) => b - a));
    // And a search and the shared-only choice narrow it
    const shared = await listRolesIn(t.db, second, { sharedOnly: true });
    expect(shared.rows.map((r) => r.arn).sort()).toEqual([...expected].filter(([, e]) => e.functionCount > 1).map(([arn]) => arn).sort());
    const media = await listRolesIn(t.db, second, { q: "MEDIA-processing" });
    expect(media.rows.map((r) => r.name)).toEqual(["media-processing-role"]);
  });

  it("stores, with the second scan, which functions can differ from the first", async () => {
    // When nothing has read the pair yet, then its candidates are already stored, as computed from both scans
    const [row] = await t.db.query<{ arns: string[] }>(`SELECT arns FROM scan_diff_candidates WHERE to_scan_id = $1 AND from_scan_id = $2`, [second, first]);
    expect(row).toBeDefined();
    expect(row.arns).toEqual(await computeDiffCandidates(t.db, first, second));
  });

  it("derives the page data of a scan stored before it existed on first read, the search index with the ids its findings would carry", async () => {
    // Given a scan whose page data and search index are missing (stored by an earlier version)
    const index = async () => ({
      terms: await t.db.query(`SELECT id::text, term FROM search_terms WHERE id IN (SELECT term_id FROM search_text_terms WHERE text_id IN (${scanTexts})) ORDER BY id`, [first]),
      links: await t.db.query(`SELECT term_id::text, text_id::text FROM search_text_terms WHERE text_id IN (${scanTexts}) ORDER BY text_id, term_id`, [first]),
      findings: await t.db.query(`SELECT id, search_text_id::text FROM finding_verdicts WHERE scan_id = $1 ORDER BY id`, [first]),
      roles: await t.db.query(`SELECT arn FROM role_summaries WHERE scan_id = $1 ORDER BY arn`, [first]),
    });
    const written = await index();
    expect(written.terms.length).toBeGreaterThan(10);
    expect(written.findings.filter((f) => (f as { search_text_id: string | null }).search_text_id !== null).length).toBeGreaterThan(10);
    for (const table of ["role_summaries", "category_counts", "scan_page_data"]) await t.db.query(`DELETE FROM ${table} WHERE scan_id = $1`, [first]);
    // The index is shared by every scan: all of it goes (this is the last test).
    for (const table of ["search_text_terms", "search_terms"]) await t.db.query(`DELETE FROM ${table}`);
    await t.db.query(`UPDATE findings SET search_text_id = NULL WHERE scan_id = $1`, [first]);
    await t.db.query(`UPDATE finding_verdicts SET search_text_id = NULL WHERE scan_id = $1`, [first]);
    expect((await index()).roles).toEqual([]);

    // When a page reads the scan, then the same rows are there again, the search index derived
    // from the findings' details with the same ids as the store writes with the findings
    await readScanAggregates(t.db, first);
    expect(await index()).toEqual(written);
    expect(await byStoredTerms(first, "s3:putobject")).toEqual(await byDetails(first, "s3:putobject"));
  });
});
