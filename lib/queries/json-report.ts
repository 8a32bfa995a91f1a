/**
 * The JSON report (lib/report/build-json-report.ts) read from a stored scan through the scan view
 * and the one view filter: `saltzer report`, `saltzer scan --format`, and the dashboard's
 * "Export this view" all read it here, so every export holds exactly what the view lists.
 *
 * It streams: `openJsonReport` selects the functions and computes the summary from the scan view's
 * verdicts (no policies, no blast radius), then the renderers ask for the full records page by
 * page, so a whole organization's export starts at once and holds one page in memory.
 */
import type { BlastRadius, RecommendedPolicy, RiskScore, Severity } from "@/lib/analysis/types";
import type { PolicyDocument } from "@/lib/snapshot/types";
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
import { readScanAggregates } from "@/lib/store/scan-aggregates";
import { attachedPolicyKind } from "@/lib/snapshot/aws-managed-policy-arn";
import { blastRadiusInAwsCase, findingInAwsCase, permissionSetInAwsCase, riskInAwsCase } from "./action-names";
import { roleRecommendations } from "./role-recommendation";
import { loadScanView, shownRisk, viewFunction, type ViewFinding, type ViewFunction, type ViewSuppression } from "./scan-view";
import { loadSuppressionOverlay } from "./suppression-overlay";
import type { SuppressionEntry } from "./suppressions";
import { applyViewFilter, findingsListed, type ViewFilter } from "./view-filter";
import { FINDING_SEARCH_TEXT_SQL, viewSql, type SelectedVerdictRow } from "./view-sql";

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

/** A finding's stored title, reason and details (findings table). */
interface StoredFinding {
  title: string;
  reason: string;
  details: unknown;
}

/** What the report selected: its entries, its summary counts, and each entry's listed findings on demand. */
interface Selection {
  entries: (ReportEntry & { hasSecrets: boolean })[];
  findingsBySeverity: Record<Severity, number>;
  suppressedFindings: number;
  /** The findings the report lists for these entries (suppression state applied, filter applied). */
  findingsOf(page: readonly ReportEntry[]): Promise<Map<ReportEntry, EntryView>>;
}

/**
 * The selection in the database (lib/queries/view-sql.ts, as the risk view pages): functions in
 * stored order with their view verdicts, counts in SQL, each page's findings read with the page.
 */
async function selectInDatabase(db: Database, scanId: number, filter: ViewFilter, now: Date | undefined): Promise<Selection> {
  await readScanAggregates(db, scanId);
  const overlay = await loadSuppressionOverlay(db, scanId, now);
  const view = viewSql(scanId, filter, overlay);
  const rows = await db.query<SelectedVerdictRow & { finding_count: number }>(
    `${view.with}
     , counts AS (SELECT x.function_arn, count(*)::int AS n FROM finding_verdicts x WHERE x.scan_id = $1 AND ${view.findingInView} GROUP BY x.function_arn)
     SELECT sel.*, COALESCE(counts.n, 0) AS finding_count
       FROM sel LEFT JOIN counts ON counts.function_arn = sel.arn ORDER BY sel.account_id, sel.region, sel.name`,
    view.params,
  );
  const findingCounts = await db.query<{ severity: Severity; n: number }>(
    `${view.with}
     SELECT x.severity, count(*)::int AS n FROM finding_verdicts x JOIN sel ON sel.arn = x.function_arn
      WHERE x.scan_id = $1 AND ${view.findingInView} AND NOT (x.fingerprint = ANY($2::text[])) GROUP BY x.severity`,
    view.params,
  );
  // Suppressed findings the same filter would show with `suppressed: "only"` (see view-filter.ts).
  const only = viewSql(scanId, { ...filter, suppressed: "only" }, overlay);
  const [suppressed] = await db.query<{ n: number }>(
    `${only.with} SELECT count(*)::int AS n FROM finding_verdicts x JOIN sel ON sel.arn = x.function_arn WHERE x.scan_id = $1 AND ${only.findingInView}`,
    only.params,
  );
  const findingsBySeverity = emptyCounts();
  for (const r of findingCounts) findingsBySeverity[r.severity] += Number(r.n);
  const base = new Map<ReportEntry, Parameters<typeof viewFunction>[0]>();
  const entries = rows.map((r) => {
    const incomplete = incompleteCodec.decode(r.incomplete, { scanId, key: r.arn });
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
    suppressedFindings: Number(suppressed.n),
    async findingsOf(page) {
      // A text filter (`q`) also matches the findings' actions and resources: read their search text then.
      const search = Boolean(filter.q?.trim());
      // Their words and details too: the page's records need them, and one read beats two.
      const found = await db.query<{ id: number; function_arn: string; rule_id: string; category: string; severity: Severity; fingerprint: string; title: string; reason: string; details: unknown; search_text?: string }>(
        `SELECT id, function_arn, rule_id, category, severity, fingerprint, title, reason, details${search ? `, ${FINDING_SEARCH_TEXT_SQL("findings")} AS search_text` : ""}
           FROM findings WHERE scan_id = $1 AND function_arn = ANY($2::text[]) ORDER BY id`,
        [scanId, page.map((e) => e.arn)],
      );
      const stored = new Map(found.map((f) => [f.id, { title: f.title, reason: f.reason, details: f.details }]));
      const byFunction = new Map<string, typeof found>();
      for (const f of found) {
        const list = byFunction.get(f.function_arn) ?? [];
        list.push(f);
        byFunction.set(f.function_arn, list);
      }
      // The one derivation (viewFunction) and the one filter (findingsInView), page by page.
      return new Map(
        page.map((e) => {
          const fn = viewFunction(
            base.get(e)!,
            (byFunction.get(e.arn) ?? []).map((f) => ({
              id: f.id,
              ruleId: f.rule_id,
              category: f.category,
              severity: f.severity,
              title: "",
              reason: "",
              fingerprint: f.fingerprint,
              ...(search ? { searchText: f.search_text ?? "" } : {}),
            })),
            overlay.matcher,
          );
          return [e, { listed: findingsListed(fn, filter), view: fn, stored }];
        }),
      );
    },
  };
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
  const cache: PageCache = { policies: new Map(), sets: new Map(), casedSets: new WeakMap(), recommendations: new Map() };
  return {
    head,
    entries,
    async *functions(order, parts = "all") {
      for (let i = 0; i < order.length; i += pageSize) {
        const page = order.slice(i, i + pageSize);
        yield* await readReportPage(db, scanId, page, await selection.findingsOf(page), parts, cache);
      }
    },
  };
}

interface FunctionRow {
  arn: string;
  account_id: string;
  role_arn: string;
  handler: string | null;
  package_type: string;
  environment: unknown;
  resource_policy: unknown;
  urls: unknown;
  risk: unknown;
  blast_radius: unknown;
  recommended_policy: unknown;
  permissions_key: string | null;
}

const suppressionOf = (s: ViewSuppression | null): ReportSuppression | null => (s ? { reason: s.reason, expiresAt: s.expiresAt, createdBy: s.createdBy, createdAt: s.createdAt } : null);

/**
 * What pages of one report share: decoded managed policies (null: not stored), permission sets
 * (and their part of a blast radius in AWS's spelling), role recommendations (null: none stored).
 * The same objects come back for every function that shares them, so a writer can serialize
 * each once (render-report.ts).
 */
interface PageCache {
  policies: Map<string, { name: string; document: PolicyDocument } | null>;
  sets: Map<string, PermissionSetPart>;
  casedSets: WeakMap<PermissionSetPart, Pick<BlastRadius, "services" | "dataStores">>;
  recommendations: Map<string, RecommendedPolicy | null>;
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
  const read = missing.length ? await roleRecommendations(db, scanId, missing) : new Map<string, never>();
  const byRole = new Map(wanted.map((arn) => [arn, cache.recommendations.has(arn) ? cache.recommendations.get(arn)! : (read.get(arn)?.policy ?? null)]));
  remember(cache.recommendations, [...byRole]);
  return byRole;
}

async function readReportPage(db: Database, scanId: number, page: readonly ReportEntry[], views: Map<ReportEntry, EntryView>, parts: ReportParts, cache: PageCache): Promise<ReportFunction[]> {
  const arns = page.map((v) => v.arn);
  const listed = new Map(page.map((v) => [v, views.get(v)?.listed ?? []]));
  // Findings whose words and details the selection did not read with the page.
  const findingIds = page.flatMap((v) => (listed.get(v) ?? []).flatMap((f) => (f.id !== null && !views.get(v)?.stored?.has(f.id) ? [f.id] : [])));
  const analysis = parts !== "findings";
  const all = parts === "all";
  // Columns a format never prints are not read (ReportParts): NULL stands in for them.
  const column = (name: string, wanted: boolean) => (wanted ? name : `NULL AS ${name}`);
  const [functions, mappings, findings] = await Promise.all([
    db.query<FunctionRow>(
      `SELECT arn, account_id, role_arn, handler, package_type, ${column("environment", all)}, ${column("resource_policy", all)}, ${column("urls", analysis)},
              ${column("risk", analysis)}, ${column("blast_radius", analysis)}, ${column("recommended_policy", analysis)}, ${column("permissions_key", analysis)}
         FROM functions WHERE scan_id = $1 AND arn = ANY($2::text[])`,
      [scanId, arns],
    ),
    analysis
      ? db.query<{ uuid: string; function_arn: string; event_source_arn: string | null; state: string | null; batch_size: number | null }>(
          `SELECT uuid, function_arn, event_source_arn, state, batch_size FROM event_source_mappings WHERE scan_id = $1 AND function_arn = ANY($2::text[]) ORDER BY uuid`,
          [scanId, arns],
        )
      : [],
    findingIds.length ? db.query<{ id: number; title: string; reason: string; details: unknown }>(`SELECT id, title, reason, details FROM findings WHERE id = ANY($1::int[])`, [findingIds]) : [],
  ]);
  const rowByArn = new Map(functions.map((f) => [f.arn, f]));
  const roleArns = all ? [...new Set(functions.map((f) => f.role_arn))] : [];
  const keys = [...new Set(functions.flatMap((f) => (f.permissions_key && !cache.sets.has(f.permissions_key) ? [f.permissions_key] : [])))];
  const [roles, permissionSets, recommendations] = await Promise.all([
    db.query<{ arn: string; inline_policies: unknown; attached_policy_arns: unknown; permissions_boundary_arn: string | null }>(
      `SELECT arn, inline_policies, attached_policy_arns, permissions_boundary_arn FROM roles WHERE scan_id = $1 AND arn = ANY($2::text[])`,
      [scanId, roleArns],
    ),
    db.query<{ permissions_key: string; services: unknown; data_stores: unknown }>(
      `SELECT permissions_key, services, data_stores FROM permission_sets WHERE scan_id = $1 AND permissions_key = ANY($2::text[])`,
      [scanId, keys],
    ),
    // The role's recommendation (one per role); scans stored before that kept one per function.
    analysis ? recommendationsOf(db, scanId, functions.map((f) => f.role_arn), cache) : new Map<string, RecommendedPolicy | null>(),
  ]);
  const roleByArn = new Map(
    roles.map((r) => {
      const ref = { scanId, key: r.arn };
      return [r.arn, { inline: inlinePoliciesCodec.decode(r.inline_policies, ref), attached: attachedPolicyArnsCodec.decode(r.attached_policy_arns, ref), boundary: r.permissions_boundary_arn }] as const;
    }),
  );
  // Managed policies by (account, ARN): an AWS-managed ARN is stored once per account.
  const wanted = new Map<string, [string, string]>();
  for (const f of functions) {
    const role = roleByArn.get(f.role_arn);
    if (!role) continue;
    for (const arn of [...role.attached, ...(role.boundary ? [role.boundary] : [])]) wanted.set(`${f.account_id}|${arn}`, [f.account_id, arn]);
  }
  // Documents and permission sets recur across pages (an AWS-managed policy on most roles): read once.
  const missing = [...wanted.entries()].filter(([key]) => !cache.policies.has(key));
  const policies = missing.length
    ? await db.query<{ account_id: string; arn: string; name: string; document: unknown }>(
        `SELECT p.account_id, p.arn, p.name, p.document FROM managed_policies p
           JOIN unnest($2::text[], $3::text[]) AS w(account_id, arn) ON p.account_id = w.account_id AND p.arn = w.arn
          WHERE p.scan_id = $1`,
        [scanId, missing.map(([, w]) => w[0]), missing.map(([, w]) => w[1])],
      )
    : [];
  const read = new Map(policies.map((p) => [`${p.account_id}|${p.arn}`, { name: p.name, document: managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) }]));
  // This page's own maps first, then the cache: a cache that starts over never loses what this page needs.
  const policyByKey = new Map([...wanted.keys()].map((key) => [key, cache.policies.has(key) ? cache.policies.get(key)! : (read.get(key) ?? null)]));
  remember(cache.policies, [...policyByKey]);
  const readSets = new Map(permissionSets.map((p) => [p.permissions_key, decodePermissionSet({ permissionsKey: p.permissions_key, services: p.services, dataStores: p.data_stores }, scanId)]));
  const setByKey = new Map<string, PermissionSetPart>();
  for (const f of functions) {
    const key = f.permissions_key;
    const set = key ? (cache.sets.get(key) ?? readSets.get(key)) : undefined;
    if (key && set) setByKey.set(key, set);
  }
  remember(cache.sets, [...setByKey]);
  const radiusOf = (fn: FunctionRow, ref: { scanId: number; key: string }): BlastRadius | null => {
    const set = fn.permissions_key ? setByKey.get(fn.permissions_key) : undefined;
    const radius = decodeBlastRadius(fn.blast_radius, set, ref);
    if (!radius) return null;
    // The permission set's part, spelled once for all of its functions (older scans stored it per function).
    if (!set || radius.services !== set.services) return blastRadiusInAwsCase(radius);
    let cased = cache.casedSets.get(set);
    if (!cased) cache.casedSets.set(set, (cased = permissionSetInAwsCase(set)));
    return blastRadiusInAwsCase(radius, cased);
  };
  const findingById = new Map<number, StoredFinding>(findings.map((f) => [f.id, f]));
  for (const stored of new Set(page.map((v) => views.get(v)?.stored))) for (const [id, f] of stored ?? []) findingById.set(id, f);
  const mappingsByFunction = new Map<string, typeof mappings>();
  for (const m of mappings) {
    const list = mappingsByFunction.get(m.function_arn) ?? [];
    list.push(m);
    mappingsByFunction.set(m.function_arn, list);
  }

  const managed = (accountId: string, arn: string): ReportPolicy => {
    const p = policyByKey.get(`${accountId}|${arn}`);
    return {
      name: p?.name ?? arn.split("/").pop() ?? arn,
      arn,
      kind: attachedPolicyKind(arn),
      document: p?.document ?? null,
    };
  };
  return page.map((v): ReportFunction => {
    const fn = rowByArn.get(v.arn);
    if (!fn) throw new Error(`Function ${v.arn} of scan ${scanId} disappeared while the report was read.`);
    const ref = { scanId, key: fn.arn };
    const role = roleByArn.get(fn.role_arn);
    const findingsOut = (listed.get(v) ?? []).map((f): ReportFinding => {
      const row = f.id !== null ? findingById.get(f.id) : undefined;
      const details = row ? findingDetailsCodec.decode(row.details, { scanId, key: f.id }) : undefined;
      return findingInAwsCase({
        ruleId: f.ruleId,
        category: f.category,
        severity: f.severity,
        title: row?.title ?? f.title,
        reason: row?.reason ?? f.reason,
        fingerprint: f.fingerprint,
        suppressed: f.suppressed,
        suppression: suppressionOf(f.suppression),
        expiredSuppression: suppressionOf(f.expiredSuppression),
        statements: details?.statements ?? [],
        actions: details?.actions ?? [],
        resources: details?.resources ?? [],
        escalation: details?.escalation ?? null,
      });
    });
    return {
      arn: fn.arn,
      name: v.name,
      accountId: fn.account_id,
      region: v.region,
      runtime: v.runtime,
      roleArn: fn.role_arn,
      handler: fn.handler,
      packageType: fn.package_type,
      environment: !all ? [] : environmentCodec.decode(fn.environment, ref).map((e) => ({ name: e.name, looksSecret: e.looksSecret, secretReason: e.secretReason })),
      policies: [
        ...(role?.inline ?? []).map<ReportPolicy>((p) => ({ name: p.name, arn: null, kind: "inline", document: p.document })),
        ...(role?.attached ?? []).map((arn) => managed(fn.account_id, arn)),
      ],
      permissionsBoundary: role?.boundary ? managed(fn.account_id, role.boundary) : null,
      resourcePolicy: !all ? null : (resourcePolicyCodec.decode(fn.resource_policy, ref) ?? null),
      urls: !analysis ? [] : functionUrlsCodec.decode(fn.urls, ref),
      eventSources: (mappingsByFunction.get(fn.arn) ?? []).map((m) => ({ uuid: m.uuid, eventSourceArn: m.event_source_arn, state: m.state, batchSize: m.batch_size })),
      isPublic: v.isPublic,
      sharedRole: v.sharedRole,
      incomplete: v.incomplete,
      riskScore: v.riskScore,
      severity: v.severity,
      // The stored score with suppressed findings' shares left out (riskWithout), as every view shows it.
      risk: !analysis ? null : withAwsCase(shownRisk(views.get(v)!.view, fn.risk, ref)),
      findings: findingsOut,
      blastRadius: !analysis ? null : radiusOf(fn, ref),
      recommendedPolicy: !analysis ? null : (recommendations.get(fn.role_arn) ?? recommendedPolicyCodec.decode(fn.recommended_policy, ref) ?? null),
    };
  });
}
