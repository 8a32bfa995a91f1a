/**
 * The JSON report (lib/report/build-json-report.ts) read from a stored scan through the scan view
 * and the one view filter: `saltzer report`, `saltzer scan --format`, and the dashboard's
 * "Export this view" all read it here, so every export holds exactly what the view lists.
 *
 * It streams: `openJsonReport` selects the functions and computes the summary from the scan view's
 * verdicts (no policies, no blast radius), then the renderers ask for the full records page by
 * page, so a whole organization's export starts at once and holds one page in memory.
 */
import { mapDataStores, type BlastRadius, type ReachedFunction, type RecommendedPolicy, type RiskScore, type Severity } from "@/lib/analysis/types";
import type { FunctionUrl, InlinePolicy, PolicyDocument } from "@/lib/snapshot/types";
import type { Database } from "@/lib/store/db";
import { decodeBlastRadius, decodePermissionSet, type PermissionSetPart } from "@/lib/store/codecs/blast-radius";
import { environmentCodec } from "@/lib/store/codecs/environment";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { functionUrlsCodec } from "@/lib/store/codecs/function-urls";
import { gapsCodec } from "@/lib/store/codecs/gaps";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec, resourcePolicyCodec } from "@/lib/store/codecs/policy-document";
import { recommendedPolicyCodec } from "@/lib/store/codecs/recommended-policy";
import { accountRegionsCodec, attachedPolicyArnsCodec } from "@/lib/store/codecs/string-list";
import {
  REPORT_SCHEMA_VERSION,
  type JsonReport,
  type ReportEntry,
  type ReportFinding,
  type ReportFunction,
  type ReportHead,
  type ReportParts,
  type ReportPolicy,
  type ReportSource,
  type ReportSuppression,
} from "@/lib/report/build-json-report";
import { incompleteCodec } from "@/lib/store/codecs/incomplete";
import { readScanAggregates, type ScanAggregates } from "@/lib/store/scan-aggregates";
import { attachedPolicyKind } from "@/lib/snapshot/aws-managed-policy-arn";
import { blastRadiusInAwsCase, canonicalActions, canonicalActionsInText, escalationInAwsCase, permissionSetInAwsCase, riskInAwsCase } from "./action-names";
import { packedColumns, TextIntern, unpackRow } from "./packed-rows";
import { withFirstReachedFunctions } from "./reach";
import { decodeRecommendedPolicy } from "./role-recommendation";
import { loadScanView, shownRisk, viewFunction, type ViewFinding, type ViewFunction, type ViewSuppression } from "./scan-view";
import { loadSuppressionOverlay, type SuppressionOverlay } from "./suppression-overlay";
import type { SuppressionEntry } from "./suppressions";
import { applyViewFilter, findingsListed, type ViewFilter } from "./view-filter";
import { FINDING_SEARCH_TEXT_SQL, viewSql, type SelectedVerdictRow } from "./view-sql";
import { ACCOUNT_ROWS_BY_ARN_SQL, ACCOUNT_ROWS_SCAN, FINDING_OF_SCAN_SQL, FUNCTION_OF_SCAN_SQL, GRAPH_SCAN_SQL, ROLE_RECOMMENDATIONS_SQL } from "@/lib/store/shared-rows";

/** The newest scan that finished with data (succeeded or partial). */
export async function latestCompleteScanId(db: Database): Promise<number | null> {
  const scan = await db.prisma.scan.findFirst({ where: { status: { in: ["succeeded", "partial"] } }, orderBy: { id: "desc" }, select: { id: true } });
  return scan?.id ?? null;
}

export interface ReportOptions {
  filter?: ViewFilter;
  /** Suppressions from a `--suppressions FILE`, applied with the stored ones. */
  extraSuppressions?: SuppressionEntry[];
  version?: string;
  now?: Date;
  /** Functions read per page (default 500: PGlite's cost is per query as much as per row). */
  pageSize?: number;
}

const withAwsCase = (risk: RiskScore | null): RiskScore | null => (risk ? riskInAwsCase(risk) : null);

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** The report of a stored scan, narrowed by the view filter, held whole in memory (tests, small scans). */
export async function buildJsonReport(db: Database, scanId: number, options: ReportOptions = {}): Promise<JsonReport> {
  const source = await openJsonReport(db, scanId, options);
  const functions: ReportFunction[] = [];
  for await (const fn of source.functions(source.entries)) functions.push(fn);
  return { ...source.head, functions };
}

/** One entry's view: the findings the report lists, and the function's view (its score leaves suppressed findings out). */
interface EntryView {
  listed: ViewFinding[];
  view: ViewFunction;
  /** The findings' stored words and details, when the selection read them with the page (by finding id). */
  stored?: Map<number, StoredFinding>;
}

/** A finding's stored title, reason and details (findings table; details as their stored JSON text). */
interface StoredFinding {
  title: string;
  reason: string;
  /** Null when the format does not print them (`results`): not read. */
  details: string | null;
}

/** What the report selected: its entries, its summary counts, and each entry's listed findings on demand. */
interface Selection {
  entries: (ReportEntry & { hasSecrets: boolean })[];
  findingsBySeverity: Record<Severity, number>;
  suppressedFindings: number;
  /** The findings the report lists for these entries (suppression state applied, filter applied). */
  findingsOf(page: readonly ReportEntry[], details: boolean): Promise<Map<ReportEntry, EntryView>>;
}

/**
 * The selection in the database (lib/queries/view-sql.ts, as the risk view pages): functions in
 * stored order with their view verdicts, counts in SQL (the whole organization's summary from the
 * stored aggregates), each page's findings read with the page.
 */
async function selectInDatabase(db: Database, scanId: number, filter: ViewFilter, now: Date | undefined): Promise<Selection> {
  const aggregates = await readScanAggregates(db, scanId);
  const overlay = await loadSuppressionOverlay(db, scanId, now);
  const view = viewSql(scanId, filter, overlay);
  // Each function's listed findings: its stored counts where they are the view's (view.listedFindings),
  // else one pass over the scan's findings. Rows come packed (packed-rows.ts): 100,000 of them as
  // separate fields were most of a whole-organization export's first second.
  const stored = view.countsStored && !view.textMatched;
  const scalars = ["arn", "name", "account_id", "region", "runtime", "role_arn", "policy_count", "has_secrets", "has_shared_role", "risk_score", "severity", "is_public"].map((c) => `sel.${c}`);
  const packed = await db.query<{ packed: string }>(
    stored
      ? `${view.with}
         SELECT ${packedColumns([...scalars, view.listedFindings("sel")], ["sel.incomplete"])} FROM sel ORDER BY sel.account_id, sel.region, sel.name`
      : `${view.with}
         , counts AS (SELECT x.function_arn, count(*)::int AS n FROM finding_verdicts x WHERE x.scan_id = $1 AND ${view.findingInView} GROUP BY x.function_arn)
         SELECT ${packedColumns([...scalars, "COALESCE(counts.n, 0)"], ["sel.incomplete"])}
           FROM sel LEFT JOIN counts ON counts.function_arn = sel.arn ORDER BY sel.account_id, sel.region, sel.name`,
    view.params,
  );
  const incompletes = new Map<string, ReturnType<typeof incompleteCodec.decode>>();
  const rows = packed.map((p): SelectedVerdictRow & { finding_count: number } => {
    const { scalars: s, json } = unpackRow(p.packed);
    return {
      arn: s[0] as string,
      name: s[1] as string,
      account_id: s[2] as string,
      region: s[3] as string,
      runtime: s[4] as string | null,
      role_arn: s[5] as string,
      policy_count: s[6] as number,
      has_secrets: s[7] as boolean,
      has_shared_role: s[8] as boolean,
      risk_score: s[9] as number | null,
      severity: s[10] as Severity | null,
      is_public: s[11] as boolean,
      finding_count: s[12] as number,
      incomplete: json[0],
    };
  });
  const { findingsBySeverity, suppressed } = storedFindingCounts(filter, aggregates, overlay) ?? (await findingCountsInSql(db, scanId, filter, overlay));
  const base = new Map<ReportEntry, Parameters<typeof viewFunction>[0]>();
  const entries = rows.map((r) => {
    // Most functions share one text ("[]"): decoded once, the same value for each.
    const text = r.incomplete as string;
    let incomplete = incompletes.get(text);
    if (!incomplete) incompletes.set(text, (incomplete = incompleteCodec.decode(text, { scanId, key: r.arn })));
    const riskScore = r.risk_score === null ? null : Number(r.risk_score);
    const entry = {
      arn: r.arn,
      name: r.name,
      accountId: r.account_id,
      region: r.region,
      runtime: r.runtime,
      riskScore,
      severity: r.severity,
      isPublic: r.is_public,
      incomplete,
      sharedRole: r.has_shared_role,
      findingCount: Number(r.finding_count),
      hasSecrets: r.has_secrets,
    };
    base.set(entry, {
      arn: r.arn,
      name: r.name,
      accountId: r.account_id,
      accountName: null,
      region: r.region,
      runtime: r.runtime,
      roleArn: r.role_arn,
      policyCount: Number(r.policy_count),
      hasSecrets: r.has_secrets,
      sharedRole: r.has_shared_role,
      riskScore,
      incomplete,
    });
    return entry;
  });
  return {
    entries,
    findingsBySeverity,
    suppressedFindings: suppressed,
    async findingsOf(page, details) {
      // A text filter (`q`) also matches the findings' actions and resources: read their search text then.
      const search = Boolean(filter.q?.trim());
      // Their words and details too: the page's records need them, and one read beats two.
      const found = (
        await db.query<{ packed: string }>(
          `SELECT ${packedColumns(["id", "function_arn", "rule_id", "category", "severity", "fingerprint", "title", "reason", ...(search ? [FINDING_SEARCH_TEXT_SQL("findings")] : [])], details ? ["details"] : [])}
             FROM findings WHERE ${FINDING_OF_SCAN_SQL("findings", "$1", "v.function_arn = ANY($2::text[])")} ORDER BY id`,
          [scanId, page.map((e) => e.arn)],
        )
      ).map((r) => {
        const { scalars, json } = unpackRow(r.packed);
        const [id, functionArn, ruleId, category, severity, fingerprint, title, reason, searchText] = scalars as [number, string, string, string, Severity, string, string, string, string | undefined];
        return { id, functionArn, ruleId, category, severity, fingerprint, title, reason, details: json[0] ?? null, searchText };
      });
      const stored = new Map(found.map((f) => [f.id, { title: f.title, reason: f.reason, details: f.details }]));
      const byFunction = new Map<string, typeof found>();
      for (const f of found) {
        const list = byFunction.get(f.functionArn) ?? [];
        list.push(f);
        byFunction.set(f.functionArn, list);
      }
      // The one derivation (viewFunction) and the one filter (findingsInView), page by page.
      return new Map(
        page.map((e) => {
          const fn = viewFunction(
            base.get(e)!,
            (byFunction.get(e.arn) ?? []).map((f) => ({
              id: f.id,
              ruleId: f.ruleId,
              category: f.category,
              severity: f.severity,
              title: "",
              reason: "",
              fingerprint: f.fingerprint,
              ...(search ? { searchText: f.searchText ?? "" } : {}),
            })),
            overlay.matcher,
          );
          return [e, { listed: findingsListed(fn, filter), view: fn, stored }];
        }),
      );
    },
  };
}

interface FindingCounts {
  /** Unsuppressed findings the report lists, by severity. */
  findingsBySeverity: Record<Severity, number>;
  /** Suppressed findings the same filter would list with `suppressed: "only"` (see view-filter.ts). */
  suppressed: number;
}

/**
 * The whole organization's finding counts from the stored aggregates, as the risk view counts it
 * (lib/queries/function-list.ts), the overlay taking out actively suppressed findings; null for any
 * filter (counted in SQL).
 */
function storedFindingCounts(filter: ViewFilter, aggregates: ScanAggregates, overlay: SuppressionOverlay): FindingCounts | null {
  const { suppressed, ...rest } = filter;
  if ((suppressed ?? "hide") !== "hide" || Object.values(rest).some((v) => v !== undefined)) return null;
  const findingsBySeverity = { ...aggregates.findingsBySeverity };
  let suppressedCount = 0;
  for (const fn of overlay.affected) {
    for (const f of fn.findings.filter((x) => x.suppressed)) {
      findingsBySeverity[f.severity] -= 1;
      suppressedCount += 1;
    }
  }
  return { findingsBySeverity, suppressed: suppressedCount };
}

async function findingCountsInSql(db: Database, scanId: number, filter: ViewFilter, overlay: SuppressionOverlay): Promise<FindingCounts> {
  const view = viewSql(scanId, filter, overlay);
  const bySeverity = await db.query<{ severity: Severity; n: number }>(
    `${view.with}
     SELECT x.severity, count(*)::int AS n FROM finding_verdicts x JOIN sel ON sel.arn = x.function_arn
      WHERE x.scan_id = $1 AND ${view.findingInView} AND NOT (x.fingerprint = ANY($2::text[])) GROUP BY x.severity`,
    view.params,
  );
  const only = viewSql(scanId, { ...filter, suppressed: "only" }, overlay);
  const [suppressed] = await db.query<{ n: number }>(
    `${only.with} SELECT count(*)::int AS n FROM finding_verdicts x JOIN sel ON sel.arn = x.function_arn WHERE x.scan_id = $1 AND ${only.findingInView}`,
    only.params,
  );
  const findingsBySeverity = emptyCounts();
  for (const r of bySeverity) findingsBySeverity[r.severity] += Number(r.n);
  return { findingsBySeverity, suppressed: Number(suppressed.n) };
}

/** The selection from the whole scan view in memory: needed when a suppressions file matches by name or rule. */
async function selectInMemory(db: Database, scanId: number, filter: ViewFilter, options: ReportOptions): Promise<Selection> {
  const view = await loadScanView(db, scanId, { extraSuppressions: options.extraSuppressions, now: options.now, light: true, search: Boolean(filter.q?.trim()) });
  const viewByArn = new Map(view.functions.map((f) => [f.arn, f]));
  const selected = applyViewFilter(view.functions, filter);
  const findings = new Map<ReportEntry, EntryView>();
  const findingsBySeverity = emptyCounts();
  const entries = selected.map((v) => {
    const entry = {
      arn: v.arn,
      name: v.name,
      accountId: v.accountId,
      region: v.region,
      runtime: v.runtime,
      riskScore: v.riskScore,
      severity: v.severity,
      isPublic: v.isPublic,
      incomplete: v.incomplete,
      sharedRole: v.sharedRole,
      findingCount: v.findings.length,
      hasSecrets: v.hasSecrets,
    };
    findings.set(entry, { listed: v.findings, view: viewByArn.get(v.arn)! });
    for (const x of v.findings) if (!x.suppressed) findingsBySeverity[x.severity] += 1;
    return entry;
  });
  return {
    entries,
    findingsBySeverity,
    suppressedFindings: applyViewFilter(view.functions, { ...filter, suppressed: "only" }).reduce((n, f) => n + f.findings.length, 0),
    findingsOf: async (page) => new Map(page.map((e) => [e, findings.get(e)!])),
  };
}

/** The report of a stored scan as a stream source: head and entries now, full records on demand. */
export async function openJsonReport(db: Database, scanId: number, options: ReportOptions = {}): Promise<ReportSource> {
  const filter = options.filter ?? {};
  const scan = await db.prisma.scan.findUnique({
    where: { id: scanId },
    select: { id: true, status: true, error: true, startedAt: true, finishedAt: true, sourceKind: true, sourceLocation: true, organizationId: true, gaps: true },
  });
  if (!scan) throw new Error(`Scan ${scanId} does not exist.`);
  if (scan.status !== "succeeded" && scan.status !== "partial") {
    throw new Error(`Scan ${scanId} is ${scan.status}${scan.error ? `: ${scan.error}` : ""}; only a succeeded or partial scan has a report.`);
  }
  const [selection, accounts] = await Promise.all([
    options.extraSuppressions?.length ? selectInMemory(db, scanId, filter, options) : selectInDatabase(db, scanId, filter, options.now),
    db.query<{ account_id: string; name: string | null; regions: unknown }>(`SELECT account_id, name, regions FROM accounts WHERE scan_id = $1 ORDER BY account_id`, [scanId]),
  ]);
  const { entries } = selection;
  const functionsBySeverity = emptyCounts();
  for (const f of entries) if (f.severity) functionsBySeverity[f.severity] += 1;
  const reportAccounts = filter.account ? accounts.filter((a) => a.account_id === filter.account) : accounts;
  const head: ReportHead = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: "saltzer", version: options.version ?? "0.1.0" },
    generatedAt: new Date().toISOString(),
    scan: {
      id: scan.id,
      status: scan.status,
      startedAt: scan.startedAt.toISOString(),
      finishedAt: scan.finishedAt?.toISOString() ?? null,
      source: { kind: scan.sourceKind, location: scan.sourceLocation },
      organizationId: scan.organizationId,
      accounts: reportAccounts.map((a) => ({ accountId: a.account_id, name: a.name, regions: accountRegionsCodec.decode(a.regions, { scanId, key: a.account_id }) })),
      gaps: gapsCodec.decode(scan.gaps ?? [], { scanId }),
    },
    filter,
    summary: {
      accounts: reportAccounts.length,
      functions: entries.length,
      publicFunctions: entries.filter((f) => f.isPublic).length,
      // has_secrets is stored as "some environment variable looks like a secret".
      functionsWithSecrets: entries.filter((f) => f.hasSecrets).length,
      functionsBySeverity,
      findingsBySeverity: selection.findingsBySeverity,
      suppressedFindings: selection.suppressedFindings,
      incompleteFunctions: entries.filter((f) => f.incomplete.length > 0).length,
    },
  };
  const pageSize = Math.max(1, options.pageSize ?? 500);
  const cache = newPageCache();
  return {
    head,
    entries,
    async *functions(order, parts = "all") {
      for (let i = 0; i < order.length; i += pageSize) {
        const page = order.slice(i, i + pageSize);
        yield* await readReportPage(db, scanId, page, await selection.findingsOf(page, parts !== "results"), parts, cache);
      }
    },
  };
}

/** A function's row as a page reads it: JSON columns as their stored text (packed-rows.ts). */
interface FunctionRow {
  arn: string;
  accountId: string;
  roleArn: string;
  handler: string | null;
  packageType: string;
  permissionsKey: string | null;
  environment: string;
  resourcePolicy: string;
  urls: string;
  risk: string;
  blastRadius: string;
  recommendedPolicy: string;
}

/** A role's policies, decoded. */
interface RolePolicies {
  inline: InlinePolicy[];
  attached: string[];
  boundary: string | null;
}

/** A finding's details in AWS's spelling, as every finding with the same stored details shows them. */
type CasedDetails = Pick<ReportFinding, "statements" | "actions" | "resources" | "escalation">;

const suppressionOf = (s: ViewSuppression | null): ReportSuppression | null => (s ? { reason: s.reason, expiresAt: s.expiresAt, createdBy: s.createdBy, createdAt: s.createdAt } : null);

/**
 * What pages of one report share: decoded managed policies (null: not stored), roles, permission
 * sets (and their part of a blast radius in AWS's spelling), role recommendations (null: none
 * stored), and JSON values decoded by their stored text (a role's functions share one blast radius,
 * most findings' details recur). The same objects come back for every function that shares them,
 * so a writer can render each once (render-report.ts, html-report.ts).
 */
interface PageCache {
  policies: Map<string, { name: string; document: PolicyDocument } | null>;
  roles: Map<string, RolePolicies>;
  sets: Map<string, PermissionSetPart>;
  casedSets: WeakMap<PermissionSetPart, Pick<BlastRadius, "services" | "dataStores">>;
  recommendations: Map<string, RecommendedPolicy | null>;
  /** Each role's first reached functions, decoded from its stored reach (lib/queries/reach.ts). */
  reachStarts: Map<string, ReachedFunction[]>;
  radii: TextIntern<BlastRadius | null>;
  details: TextIntern<CasedDetails>;
  environments: TextIntern<ReportFunction["environment"]>;
  resourcePolicies: TextIntern<PolicyDocument | null>;
  urls: TextIntern<FunctionUrl[]>;
  legacyRecommendations: TextIntern<RecommendedPolicy | null>;
}

function newPageCache(): PageCache {
  return {
    policies: new Map(),
    roles: new Map(),
    sets: new Map(),
    casedSets: new WeakMap(),
    recommendations: new Map(),
    reachStarts: new Map(),
    // Characters of stored text each holds: a few accounts' worth, a few MB.
    radii: new TextIntern(4_000_000),
    details: new TextIntern(2_000_000),
    environments: new TextIntern(500_000),
    resourcePolicies: new TextIntern(500_000),
    urls: new TextIntern(500_000),
    legacyRecommendations: new TextIntern(2_000_000),
  };
}

/**
 * A permission set's part as the HTML report prints it (the only format reading `analysis`, not
 * `all`): each service's count per access level and each data store's resource, without the
 * action and resource lists. Kept for a whole export, the lists were most of its memory (3,040
 * permission sets at 10,000 functions: ~30 MB decoded, with a second copy in AWS's spelling).
 */
function withoutLists(set: PermissionSetPart): PermissionSetPart {
  return {
    services: set.services.map((s) => ({ service: s.service, levels: s.levels.map((l) => ({ level: l.level, actions: [], actionCount: l.actionCount, resources: [] })) })),
    dataStores: mapDataStores(set.dataStores, (d) => ({ ...d, actions: [] })),
  };
}

/** Bounded: past this many entries a cache starts over, so memory stays flat on any organization. */
const CACHE_ENTRIES = 4000;

function remember<V>(map: Map<string, V>, entries: [string, V][]): void {
  if (map.size + entries.length > CACHE_ENTRIES) map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

/** The stored recommendation of each role (null: none stored), from the cache or read once. */
async function recommendationsOf(db: Database, scanId: number, roleArns: string[], cache: PageCache): Promise<Map<string, RecommendedPolicy | null>> {
  const wanted = [...new Set(roleArns)];
  const missing = wanted.filter((arn) => !cache.recommendations.has(arn));
  // The same decoding as roleRecommendations (role-recommendation.ts), from the stored text.
  const rows = missing.length
    ? await db.query<{ packed: string }>(`SELECT ${packedColumns(["role_arn"], ["policy"])} FROM ${ROLE_RECOMMENDATIONS_SQL("$1", "$2")} r`, [scanId, missing])
    : [];
  const read = new Map(
    rows.map((r) => {
      const { scalars, json } = unpackRow(r.packed);
      return [scalars[0] as string, decodeRecommendedPolicy(json[0])];
    }),
  );
  const byRole = new Map(wanted.map((arn) => [arn, cache.recommendations.has(arn) ? cache.recommendations.get(arn)! : (read.get(arn) ?? null)]));
  remember(cache.recommendations, [...byRole]);
  return byRole;
}

/** The policies of each role, from the cache or read once. */
async function rolesOf(db: Database, scanId: number, roleArns: string[], cache: PageCache): Promise<Map<string, RolePolicies>> {
  const missing = roleArns.filter((arn) => !cache.roles.has(arn));
  const rows = missing.length
    ? await db.query<{ packed: string }>(
        `SELECT ${packedColumns(["arn", "permissions_boundary_arn"], ["inline_policies", "attached_policy_arns"])} FROM ${ACCOUNT_ROWS_BY_ARN_SQL("roles", "arn", "$1", "$2")} r`,
        [scanId, missing],
      )
    : [];
  const read = new Map(
    rows.map((r) => {
      const { scalars, json } = unpackRow(r.packed);
      const [arn, boundary] = scalars as [string, string | null];
      const ref = { scanId, key: arn };
      return [arn, { inline: inlinePoliciesCodec.decode(json[0], ref), attached: attachedPolicyArnsCodec.decode(json[1], ref), boundary }] as const;
    }),
  );
  // This page's own map first, then the cache: a cache that starts over never loses what this page needs.
  const byRole = new Map<string, RolePolicies>();
  for (const arn of roleArns) {
    const role = cache.roles.get(arn) ?? read.get(arn);
    if (role) byRole.set(arn, role);
  }
  remember(cache.roles, [...byRole]);
  return byRole;
}

async function readReportPage(db: Database, scanId: number, page: readonly ReportEntry[], views: Map<ReportEntry, EntryView>, parts: ReportParts, cache: PageCache): Promise<ReportFunction[]> {
  const arns = page.map((v) => v.arn);
  const listed = new Map(page.map((v) => [v, views.get(v)?.listed ?? []]));
  // Findings whose words and details the selection did not read with the page.
  const findingIds = page.flatMap((v) => (listed.get(v) ?? []).flatMap((f) => (f.id !== null && !views.get(v)?.stored?.has(f.id) ? [f.id] : [])));
  const details = parts !== "results";
  const analysis = parts === "analysis" || parts === "all";
  const all = parts === "all";
  // Columns a format never prints are not read (ReportParts).
  const json = [...(all ? ["environment", "resource_policy"] : []), ...(analysis ? ["urls", "risk", "blast_radius", "recommended_policy"] : [])];
  const [functionRows, mappings, findingRows] = await Promise.all([
    db.query<{ packed: string }>(`SELECT ${packedColumns(["arn", "account_id", "role_arn", "handler", "package_type", "permissions_key"], json)} FROM functions f WHERE ${FUNCTION_OF_SCAN_SQL("f", "$1", "v.arn = ANY($2::text[])")}`, [
      scanId,
      arns,
    ]),
    analysis
      ? db.query<{ uuid: string; function_arn: string; event_source_arn: string | null; state: string | null; batch_size: number | null }>(
          `SELECT uuid, function_arn, event_source_arn, state, batch_size FROM ${ACCOUNT_ROWS_BY_ARN_SQL("event_source_mappings", "function_arn", "$1", "$2")} m ORDER BY uuid`,
          [scanId, arns],
        )
      : [],
    findingIds.length ? db.query<{ packed: string }>(`SELECT ${packedColumns(["id", "title", "reason"], details ? ["details"] : [])} FROM findings WHERE id = ANY($1::int[])`, [findingIds]) : [],
  ]);
  const functions = functionRows.map((r): FunctionRow => {
    const { scalars, json: texts } = unpackRow(r.packed);
    const [arn, accountId, roleArn, handler, packageType, permissionsKey] = scalars as [string, string, string, string | null, string, string | null];
    const text = (column: string) => {
      const at = json.indexOf(column);
      return at < 0 ? "null" : texts[at];
    };
    return {
      arn,
      accountId,
      roleArn,
      handler,
      packageType,
      permissionsKey,
      environment: text("environment"),
      resourcePolicy: text("resource_policy"),
      urls: text("urls"),
      risk: text("risk"),
      blastRadius: text("blast_radius"),
      recommendedPolicy: text("recommended_policy"),
    };
  });
  const rowByArn = new Map(functions.map((f) => [f.arn, f]));
  const roleArns = all ? [...new Set(functions.map((f) => f.roleArn))] : [];
  // A permission set is part of a blast radius, which only `analysis` and `all` print.
  const keys = analysis ? [...new Set(functions.flatMap((f) => (f.permissionsKey && !cache.sets.has(f.permissionsKey) ? [f.permissionsKey] : [])))] : [];
  const [roleByArn, permissionSets, recommendations] = await Promise.all([
    rolesOf(db, scanId, roleArns, cache),
    keys.length
      ? db.query<{ packed: string }>(`SELECT ${packedColumns(["permissions_key"], ["services", "data_stores"])} FROM permission_sets WHERE scan_id = ${GRAPH_SCAN_SQL("$1")} AND permissions_key = ANY($2::text[])`, [scanId, keys])
      : [],
    // The role's recommendation (one per role); scans stored before that kept one per function.
    analysis ? recommendationsOf(db, scanId, functions.map((f) => f.roleArn), cache) : new Map<string, RecommendedPolicy | null>(),
  ]);
  // Managed policies by (account, ARN): an AWS-managed ARN is stored once per account.
  const wanted = new Map<string, [string, string]>();
  for (const f of functions) {
    const role = roleByArn.get(f.roleArn);
    if (!role) continue;
    for (const arn of [...role.attached, ...(role.boundary ? [role.boundary] : [])]) wanted.set(`${f.accountId}|${arn}`, [f.accountId, arn]);
  }
  // Documents and permission sets recur across pages (an AWS-managed policy on most roles): read once.
  const missing = [...wanted.entries()].filter(([key]) => !cache.policies.has(key));
  const policies = missing.length
    ? await db.query<{ packed: string }>(
        `SELECT ${packedColumns(["p.account_id", "p.arn", "p.name"], ["p.document"])} FROM unnest($2::text[], $3::text[]) AS w(account_id, arn)
           JOIN accounts a ON a.scan_id = $1 AND a.account_id = w.account_id
           JOIN managed_policies p ON p.scan_id = ${ACCOUNT_ROWS_SCAN("a")} AND p.account_id = w.account_id AND p.arn = w.arn`,
        [scanId, missing.map(([, w]) => w[0]), missing.map(([, w]) => w[1])],
      )
    : [];
  const read = new Map(
    policies.map((p) => {
      const { scalars, json: texts } = unpackRow(p.packed);
      const [accountId, arn, name] = scalars as [string, string, string];
      return [`${accountId}|${arn}`, { name, document: managedPolicyDocumentCodec.decode(texts[0], { scanId, key: arn }) }];
    }),
  );
  // This page's own maps first, then the cache: a cache that starts over never loses what this page needs.
  const policyByKey = new Map([...wanted.keys()].map((key) => [key, cache.policies.has(key) ? cache.policies.get(key)! : (read.get(key) ?? null)]));
  remember(cache.policies, [...policyByKey]);
  const readSets = new Map(
    permissionSets.map((p) => {
      const { scalars, json: texts } = unpackRow(p.packed);
      const key = scalars[0] as string;
      const set = decodePermissionSet({ permissionsKey: key, services: texts[0], dataStores: texts[1] }, scanId);
      return [key, all ? set : withoutLists(set)];
    }),
  );
  const setByKey = new Map<string, PermissionSetPart>();
  for (const f of functions) {
    const key = f.permissionsKey;
    const set = key ? (cache.sets.get(key) ?? readSets.get(key)) : undefined;
    if (key && set) setByKey.set(key, set);
  }
  remember(cache.sets, [...setByKey]);
  // One object per distinct (stored radius, permission set): the radius of a role's functions is decoded and spelled once.
  const radiusOf = (fn: FunctionRow, ref: { scanId: number; key: string }): BlastRadius | null =>
    cache.radii.get(`${fn.permissionsKey ?? ""}\u001e${fn.blastRadius}`, () => {
      const set = fn.permissionsKey ? setByKey.get(fn.permissionsKey) : undefined;
      const radius = decodeBlastRadius(fn.blastRadius, set, ref);
      if (!radius) return null;
      // The permission set's part, spelled once for all of its functions (older scans stored it per function).
      if (!set || radius.services !== set.services) return blastRadiusInAwsCase(radius);
      let cased = cache.casedSets.get(set);
      if (!cased) cache.casedSets.set(set, (cased = permissionSetInAwsCase(set)));
      return blastRadiusInAwsCase(radius, cased);
    });
  const findingById = new Map<number, StoredFinding>(
    findingRows.map((r) => {
      const { scalars, json: texts } = unpackRow(r.packed);
      const [id, title, reason] = scalars as [number, string, string];
      return [id, { title, reason, details: texts[0] ?? null }];
    }),
  );
  for (const stored of new Set(page.map((v) => views.get(v)?.stored))) for (const [id, f] of stored ?? []) findingById.set(id, f);
  const mappingsByFunction = new Map<string, typeof mappings>();
  for (const m of mappings) {
    const list = mappingsByFunction.get(m.function_arn) ?? [];
    list.push(m);
    mappingsByFunction.set(m.function_arn, list);
  }
  const detailsOf = (storedDetails: string, id: number): CasedDetails =>
    cache.details.get(storedDetails, (text) => {
      const details = findingDetailsCodec.decode(text, { scanId, key: id });
      // findingInAwsCase's spelling of the lists, shared by every finding with these details.
      return {
        statements: details.statements ?? [],
        actions: canonicalActions(details.actions ?? []),
        resources: details.resources ?? [],
        escalation: details.escalation ? escalationInAwsCase(details.escalation) : null,
      };
    });
  const noDetails: CasedDetails = { statements: [], actions: [], resources: [], escalation: null };

  const managed = (accountId: string, arn: string): ReportPolicy => {
    const p = policyByKey.get(`${accountId}|${arn}`);
    return {
      name: p?.name ?? arn.split("/").pop() ?? arn,
      arn,
      kind: attachedPolicyKind(arn),
      document: p?.document ?? null,
    };
  };
  const stored = functions.map((fn) => ({ arn: fn.arn, roleArn: fn.roleArn, radius: analysis ? radiusOf(fn, { scanId, key: fn.arn }) : null }));
  // Only the JSON report lists a radius' reached functions.
  if (cache.reachStarts.size > CACHE_ENTRIES) cache.reachStarts.clear();
  const radii = all ? await withFirstReachedFunctions(db, scanId, stored, cache.reachStarts) : new Map(stored.map((f) => [f.arn, f.radius]));
  return page.map((v): ReportFunction => {
    const fn = rowByArn.get(v.arn);
    if (!fn) throw new Error(`Function ${v.arn} of scan ${scanId} disappeared while the report was read.`);
    const ref = { scanId, key: fn.arn };
    const role = roleByArn.get(fn.roleArn);
    const findingsOut = (listed.get(v) ?? []).map((f): ReportFinding => {
      const row = f.id !== null ? findingById.get(f.id) : undefined;
      const found = row?.details != null ? detailsOf(row.details, f.id!) : noDetails;
      return {
        ruleId: f.ruleId,
        category: f.category,
        severity: f.severity,
        title: canonicalActionsInText(row?.title ?? f.title),
        reason: canonicalActionsInText(row?.reason ?? f.reason),
        fingerprint: f.fingerprint,
        suppressed: f.suppressed,
        suppression: suppressionOf(f.suppression),
        expiredSuppression: suppressionOf(f.expiredSuppression),
        statements: found.statements,
        actions: found.actions,
        resources: found.resources,
        escalation: found.escalation,
      };
    });
    return {
      arn: fn.arn,
      name: v.name,
      accountId: fn.accountId,
      region: v.region,
      runtime: v.runtime,
      roleArn: fn.roleArn,
      handler: fn.handler,
      packageType: fn.packageType,
      environment: !all ? [] : cache.environments.get(fn.environment, (text) => environmentCodec.decode(text, ref).map((e) => ({ name: e.name, looksSecret: e.looksSecret, secretReason: e.secretReason }))),
      policies: [
        ...(role?.inline ?? []).map<ReportPolicy>((p) => ({ name: p.name, arn: null, kind: "inline", document: p.document })),
        ...(role?.attached ?? []).map((arn) => managed(fn.accountId, arn)),
      ],
      permissionsBoundary: role?.boundary ? managed(fn.accountId, role.boundary) : null,
      resourcePolicy: !all ? null : cache.resourcePolicies.get(fn.resourcePolicy, (text) => resourcePolicyCodec.decode(text, ref) ?? null),
      urls: !analysis ? [] : cache.urls.get(fn.urls, (text) => functionUrlsCodec.decode(text, ref)),
      eventSources: (mappingsByFunction.get(fn.arn) ?? []).map((m) => ({ uuid: m.uuid, eventSourceArn: m.event_source_arn, state: m.state, batchSize: m.batch_size })),
      isPublic: v.isPublic,
      sharedRole: v.sharedRole,
      incomplete: v.incomplete,
      riskScore: v.riskScore,
      severity: v.severity,
      // The stored score with suppressed findings' shares left out (riskWithout), as every view shows it.
      risk: !analysis ? null : withAwsCase(shownRisk(views.get(v)!.view, fn.risk, ref)),
      findings: findingsOut,
      blastRadius: radii.get(fn.arn) ?? null,
      recommendedPolicy: !analysis ? null : (recommendations.get(fn.roleArn) ?? cache.legacyRecommendations.get(fn.recommendedPolicy, (text) => recommendedPolicyCodec.decode(text, ref) ?? null)),
    };
  });
}
