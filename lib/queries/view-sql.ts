/**
 * The one view filter (lib/queries/view-filter.ts) as SQL over stored verdicts (the narrow copies
 * function_verdicts and finding_verdicts: call readScanAggregates first), for pages that
 * show one page of a large scan: the same semantics as `applyViewFilter`, with suppressions
 * applied through the overlay (lib/queries/suppression-overlay.ts). The consistency suite checks
 * that both give the same functions, findings and order.
 */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import { atLeast } from "@/lib/analysis/verdicts";
import type { SuppressionOverlay } from "./suppression-overlay";
import type { ViewFilter } from "./view-filter";

/** One row of `sel` (a function_verdicts row with its view verdicts), as the risk view and the exports read it. */
export interface SelectedVerdictRow {
  arn: string;
  name: string;
  account_id: string;
  region: string;
  runtime: string | null;
  role_arn: string;
  policy_count: number;
  has_secrets: boolean;
  has_shared_role: boolean;
  risk_score: number | null;
  incomplete: unknown;
  severity: Severity | null;
  is_public: boolean;
}

export interface ViewSql {
  /** `WITH …, sel AS (…)`: the selected functions with their view verdicts (`severity`, `is_public`, `risk_score`). */
  with: string;
  /** Condition on a finding row aliased `x`: the findings the view lists for a selected function. */
  findingInView: string;
  /** Only functions with at least one listed finding are in the view (category, suppressed-only). */
  requiresFinding: boolean;
  /**
   * The filter selects a small part of the scan by function (account, region, runtime, text):
   * count the findings of each of `sel`'s functions (through the (scan, function) index), not
   * every finding of the scan.
   */
  narrowed: boolean;
  /**
   * A text filter selected the functions through CTEs `tm` (functions whose own text matches: all
   * their findings in view are listed) and `mf` (the matching findings in view, `arns` one per
   * finding): a function's listed findings are counted from those without reading its findings again.
   */
  textMatched: boolean;
  /** No category, not "suppressed only", no text across lines: listedFindings reads stored counts. */
  countsStored: boolean;
  /**
   * How many findings the view lists for the `sel` row `alias`, all of whose findings the text
   * filter (if any) keeps: its stored count, in all or of the severities the filter keeps
   * (function_verdicts.finding_count, findings_by_severity), when no category filter, no
   * "suppressed only" and no active suppression apply to it, else its findings in view counted
   * through the (scan, function) index. A region's 60,000 functions then cost no index read each.
   */
  listedFindings(alias: string): string;
  params: unknown[];
}

/** `critical` → 0 … `info` → 4, unanalysed 5, as the list's comparator ranks them. */
export const SEVERITY_RANK_SQL = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE ${SEVERITIES.length} END`;

/**
 * A finding's actions and resources as `findingSearchText` joins them (one per line, lower-cased),
 * from its stored details; `alias` is a `findings` row.
 */
export const FINDING_SEARCH_TEXT_SQL = (alias: string) => {
  const list = (key: string) =>
    `array_to_string(ARRAY(SELECT json_array_elements_text(CASE WHEN json_typeof(${alias}.details->'${key}') = 'array' THEN ${alias}.details->'${key}' ELSE '[]'::json END)), E'\\n')`;
  return `lower(concat_ws(E'\\n', NULLIF(${list("actions")}, ''), NULLIF(${list("resources")}, '')))`;
};

const atLeastList = (min: Severity): Severity[] => SEVERITIES.filter((s) => atLeast(s, min));

/**
 * Matching terms or texts past which a text search reads its next table in one pass rather than by
 * index (viewSql's `broadAfter`: the tests run every way on small scans and compare).
 */
const BROAD = 20_000;

/** Where a text search stops reading by index: one threshold for terms and texts, or one each (tests). */
export type BroadAfter = number | { terms: number; texts: number };

/**
 * `findingsJoined`: the caller joins each function's count of listed findings itself and keeps
 * only functions with some when `requiresFinding` (category and suppressed-only filters), instead
 * of a per-function EXISTS: one pass over the findings for the page, the totals and the filter.
 */
export function viewSql(scanId: number, filter: ViewFilter, overlay: Pick<SuppressionOverlay, "active" | "affected">, options: { findingsJoined?: boolean; broadAfter?: BroadAfter } = {}): ViewSql {
  const given = options.broadAfter ?? BROAD;
  const broad = typeof given === "number" ? { terms: given, texts: given } : given;
  const params: unknown[] = [scanId, overlay.active, overlay.affected.map((f) => f.arn), overlay.affected.map((f) => f.severity), overlay.affected.map((f) => f.isPublic), overlay.affected.map((f) => f.riskScore)];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const mode = filter.suppressed ?? "hide";
  const finding: string[] = [];
  if (mode === "hide") finding.push("NOT (x.fingerprint = ANY($2::text[]))");
  if (mode === "only") finding.push("x.fingerprint = ANY($2::text[])");
  if (filter.severity) finding.push(`x.severity = ANY(${p(atLeastList(filter.severity))}::text[])`);
  if (filter.category) finding.push(`x.category = ${p(filter.category)}`);
  // Text (`q`): a function matches by its own name, ARN, role or runtime (then all its findings in
  // view are listed), or else through a finding in view whose actions or resources name it (then
  // only those are listed): applyViewFilter's rule, over the findings' stored actions/resources.
  const q = filter.q?.trim().toLowerCase() ?? "";
  let textMatched = "";
  // The candidates already hold exactly the functions the text selects (see below).
  let textOnCandidates = false;
  // With candidates: `v` flags the functions whose own text matches, and `tm` lists them after it.
  let ownTextColumn = "";
  let afterV = "";
  const stored: string[] = ["f.scan_id = $1"];
  if (filter.account) stored.push(`f.account_id = ${p(filter.account)}`);
  if (filter.region) stored.push(`f.region = ${p(filter.region)}`);
  if (filter.runtime) stored.push(`f.runtime = ${p(filter.runtime)}`);
  if (filter.sharedRole !== undefined) stored.push(`f.has_shared_role = ${p(filter.sharedRole)}`);
  if (filter.incomplete !== undefined) stored.push(`(json_array_length(f.incomplete) > 0) = ${p(filter.incomplete)}`);
  if (q) {
    const qp = p(q);
    // Without a line break the text is in one of the four exactly when it is in their stored
    // lower-cased text (one per line); with one, it must be in one of them whole.
    const inOwnText = q.includes("\n")
      ? `(strpos(lower(f.name), ${qp}) > 0 OR strpos(lower(f.arn), ${qp}) > 0 OR strpos(lower(f.role_arn), ${qp}) > 0 OR strpos(lower(coalesce(f.runtime, '')), ${qp}) > 0)`
      : `strpos(f.search_text, ${qp}) > 0`;
    if (q.includes("\n")) {
      textMatched = `tm AS (SELECT f.arn FROM function_verdicts f WHERE f.scan_id = $1 AND ${inOwnText}),`;
      // Text spanning two lines of a finding's text: only the whole text answers (never typed in a search box).
      finding.push(`(x.function_arn IN (SELECT arn FROM tm) OR EXISTS (SELECT 1 FROM findings y WHERE y.id = x.id AND strpos(${FINDING_SEARCH_TEXT_SQL("y")}, ${qp}) > 0))`);
    } else {
      // The findings whose stored lines (lib/store/scan-page-data.ts) contain the text: the few
      // matching lines, the sets holding them, the findings holding those sets; those of them in
      // view select their functions. Only those and the functions the text names can be selected.
      const inView = finding.length ? ` AND ${finding.join(" AND ")}` : "";
      // Each step hands the next an array (an init plan), so each reads its rows through an index
      // instead of a join planned for a guessed third of the scan's rows; past BROAD texts, the
      // findings are read in one pass with the texts hashed instead of an index read each.
      // Past BROAD terms (a text such as "lambda" or "a", in most terms and in every ARN), the texts
      // are not listed: a function its own text names lists every finding in view anyway, so only
      // the findings of the functions it does not name (`rest`, read by function) are matched, each
      // by its text's terms, hashed once. A text every ARN holds then matches no finding at all.
      const terms = `cardinality((SELECT ids FROM mterms))`;
      const texts = `cardinality((SELECT ids FROM mtexts))`;
      textMatched = `
        mterms AS (SELECT COALESCE(array_agg(id), '{}') AS ids FROM search_terms WHERE strpos(term, ${qp}) > 0),
        mtexts AS (SELECT COALESCE(array_agg(DISTINCT text_id), '{}') AS ids FROM search_text_terms WHERE ${terms} <= ${broad.terms} AND term_id = ANY((SELECT ids FROM mterms)::bigint[])),
        rest AS (SELECT x.id, x.function_arn, x.search_text_id FROM function_verdicts f JOIN finding_verdicts x ON x.scan_id = $1 AND x.function_arn = f.arn
                  WHERE ${stored.join(" AND ")} AND NOT (${inOwnText})${inView}),
        mf AS (SELECT COALESCE(array_agg(id), '{}') AS ids, COALESCE(array_agg(function_arn), '{}') AS arns FROM (
                 SELECT id, function_arn FROM finding_verdicts x
                  WHERE ${terms} <= ${broad.terms} AND ${texts} <= ${broad.texts} AND x.scan_id = $1 AND x.search_text_id = ANY((SELECT ids FROM mtexts)::bigint[])${inView}
                 UNION ALL
                 SELECT id, function_arn FROM finding_verdicts x
                  WHERE ${terms} <= ${broad.terms} AND ${texts} > ${broad.texts} AND x.scan_id = $1 AND x.search_text_id + 0 IN (SELECT unnest(ids) FROM mtexts)${inView}
                 UNION ALL
                 SELECT id, function_arn FROM rest
                  WHERE ${terms} > ${broad.terms} AND search_text_id + 0 IN (SELECT text_id FROM search_text_terms WHERE term_id + 0 IN (SELECT unnest(ids) FROM mterms))) f),`;
      finding.push(`(x.function_arn IN (SELECT arn FROM tm) OR x.id IN (SELECT unnest(ids) FROM mf))`);
      // One pass over the scan's functions selects both: those the text names and those of the
      // matching findings (a hashed set), instead of an index read per candidate.
      stored.push(`(${inOwnText} OR f.arn IN (SELECT unnest(arns) FROM mf))`);
      ownTextColumn = `${inOwnText} AS own_text,`;
      afterV = `tm AS (SELECT arn FROM v WHERE own_text),`;
      textOnCandidates = true;
    }
  }
  const findingInView = finding.length ? finding.join(" AND ") : "TRUE";

  const verdict: string[] = [];
  if (filter.public !== undefined) verdict.push(`v.is_public = ${p(filter.public)}`);
  // Suppressed findings alone: their own severity selects, not the function's (as in applyViewFilter).
  if (filter.severity && mode !== "only") verdict.push(`v.severity = ANY(${p(atLeastList(filter.severity))}::text[])`);
  const requiresFinding = Boolean(filter.category) || mode === "only";
  // Without a category or "suppressed only", a function's listed findings are its stored counts
  // (listedFindings), unless a text across lines selects among them (it is matched per finding).
  const countsStored = !filter.category && mode !== "only" && !(q && !textOnCandidates);
  const hasFinding = `EXISTS (SELECT 1 FROM finding_verdicts x WHERE x.scan_id = $1 AND x.function_arn = v.arn AND ${findingInView})`;
  if (requiresFinding && !options.findingsJoined) verdict.push(hasFinding);
  // A function its text does not match stays when one of its findings in view names the text.
  if (q && !textOnCandidates) verdict.push(`(v.arn IN (SELECT arn FROM tm) OR ${hasFinding})`);

  // Without suppressed findings the stored score is the view's: a plain column, so the risk order reads its index.
  return {
    // "$2 IS NOT NULL" only types $2 for the filters that do not read it.
    with: `WITH ${textMatched} o AS (SELECT * FROM unnest($3::text[], $4::text[], $5::boolean[], $6::int[]) AS o(arn, severity, is_public, risk_score) WHERE $2::text[] IS NOT NULL),
      v AS (
        SELECT f.arn, f.name, f.account_id, f.region, f.runtime, f.role_arn, f.policy_count, f.has_secrets, f.has_shared_role, f.incomplete,
               f.finding_count AS stored_finding_count, f.findings_by_severity AS stored_by_severity, o.arn IS NOT NULL AS overlaid, ${ownTextColumn}
               ${overlay.affected.length ? "CASE WHEN o.arn IS NULL THEN f.risk_score ELSE o.risk_score END" : "f.risk_score"} AS risk_score,
               CASE WHEN o.arn IS NULL THEN f.severity ELSE o.severity END AS severity,
               CASE WHEN o.arn IS NULL THEN f.is_public ELSE o.is_public END AS is_public
          FROM function_verdicts f LEFT JOIN o ON o.arn = f.arn
         WHERE ${stored.join(" AND ")}),
      ${afterV}
      sel AS (SELECT * FROM v${verdict.length ? ` WHERE ${verdict.join(" AND ")}` : ""})`,
    findingInView,
    requiresFinding,
    narrowed: Boolean(filter.account || filter.region || filter.runtime || q),
    textMatched: textOnCandidates,
    countsStored,
    listedFindings: (alias) => {
      const throughIndex = `(SELECT count(*)::int FROM finding_verdicts x WHERE x.scan_id = $1 AND x.function_arn = ${alias}.arn AND ${findingInView})`;
      if (!countsStored) return throughIndex;
      const { severity } = filter;
      const stored = severity ? `(${atLeastList(severity).map((s) => `${alias}.stored_by_severity[${SEVERITIES.indexOf(s) + 1}]`).join(" + ")})` : `${alias}.stored_finding_count`;
      // Counted after all: a function a suppression touches (unless suppressed ones are listed too), or whose counts by severity are not known.
      const counted = [mode === "hide" ? `${alias}.overlaid` : null, severity ? `cardinality(${alias}.stored_by_severity) <> ${SEVERITIES.length}` : null].filter(Boolean);
      return counted.length ? `CASE WHEN ${counted.join(" OR ")} THEN ${throughIndex} ELSE ${stored} END` : stored;
    },
    params,
  };
}
