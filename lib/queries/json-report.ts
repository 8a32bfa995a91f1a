/**
 * The JSON report (lib/report/build-json-report.ts) read from a stored scan through the scan view
 * and the one view filter: `saltzer report`, `saltzer scan --format`, and the dashboard's
 * "Export this view" all read it here, so every export holds exactly what the view lists.
 *
 * It streams: `openJsonReport` selects the functions and computes the summary from the scan view's
 * verdicts (no policies, no blast radius), then the renderers ask for the full records page by
 * page, so a whole organization's export starts at once and holds one page in memory.
 */
import type { Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { decodeBlastRadius, decodePermissionSet, type PermissionSetPart } from "@/lib/store/codecs/blast-radius";
import { environmentCodec } from "@/lib/store/codecs/environment";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { functionUrlsCodec } from "@/lib/store/codecs/function-urls";
import { gapsCodec } from "@/lib/store/codecs/gaps";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec, resourcePolicyCodec } from "@/lib/store/codecs/policy-document";
import { recommendedPolicyCodec } from "@/lib/store/codecs/recommended-policy";
import { riskCodec } from "@/lib/store/codecs/risk";
import { accountRegionsCodec, attachedPolicyArnsCodec } from "@/lib/store/codecs/string-list";
import {
  REPORT_SCHEMA_VERSION,
  type JsonReport,
  type ReportEntry,
  type ReportFinding,
  type ReportFunction,
  type ReportHead,
  type ReportPolicy,
  type ReportSource,
  type ReportSuppression,
} from "@/lib/report/build-json-report";
import { loadScanView, type ViewFunction, type ViewSuppression } from "./scan-view";
import type { SuppressionEntry } from "./suppressions";
import { applyViewFilter, type ViewFilter } from "./view-filter";

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
  /** Functions read per page (default 200). */
  pageSize?: number;
}

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** The report of a stored scan, narrowed by the view filter, held whole in memory (tests, small scans). */
export async function buildJsonReport(db: Database, scanId: number, options: ReportOptions = {}): Promise<JsonReport> {
  const source = await openJsonReport(db, scanId, options);
  const functions: ReportFunction[] = [];
  for await (const fn of source.functions(source.entries)) functions.push(fn);
  return { ...source.head, functions };
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
  // Titles and reasons are read with each page: the selection and the summary do not need them.
  const [view, accounts] = await Promise.all([
    loadScanView(db, scanId, { extraSuppressions: options.extraSuppressions, now: options.now, light: true }),
    db.query<{ account_id: string; name: string | null; regions: unknown }>(`SELECT account_id, name, regions FROM accounts WHERE scan_id = $1 ORDER BY account_id`, [scanId]),
  ]);
  const selected = applyViewFilter(view.functions, filter);
  const viewByEntry = new Map<ReportEntry, ViewFunction>();
  const entries = selected.map((v) => {
    const entry: ReportEntry = {
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
    };
    viewByEntry.set(entry, v);
    return entry;
  });

  const functionsBySeverity = emptyCounts();
  const findingsBySeverity = emptyCounts();
  for (const f of selected) {
    if (f.severity) functionsBySeverity[f.severity] += 1;
    for (const x of f.findings) if (!x.suppressed) findingsBySeverity[x.severity] += 1;
  }
  // Suppressed findings the same filter would show with `suppressed: "only"` (see view-filter.ts).
  const suppressedFindings = applyViewFilter(view.functions, { ...filter, suppressed: "only" }).reduce((n, f) => n + f.findings.length, 0);
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
      functions: selected.length,
      publicFunctions: selected.filter((f) => f.isPublic).length,
      // has_secrets is stored as "some environment variable looks like a secret".
      functionsWithSecrets: selected.filter((f) => f.hasSecrets).length,
      functionsBySeverity,
      findingsBySeverity,
      suppressedFindings,
      incompleteFunctions: selected.filter((f) => f.incomplete.length > 0).length,
    },
  };
  const pageSize = Math.max(1, options.pageSize ?? 200);
  return {
    head,
    entries,
    async *functions(order) {
      for (let i = 0; i < order.length; i += pageSize) {
        const page = order.slice(i, i + pageSize).map((e) => {
          const v = viewByEntry.get(e);
          if (!v) throw new Error(`Function ${e.arn} is not in this report of scan ${scanId}.`);
          return v;
        });
        yield* await readReportPage(db, scanId, page);
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

/** The full records of one page of functions, in the page's order: one query per table. */
async function readReportPage(db: Database, scanId: number, page: ViewFunction[]): Promise<ReportFunction[]> {
  const arns = page.map((v) => v.arn);
  const findingIds = page.flatMap((v) => v.findings.map((f) => f.id).filter((id): id is number => id !== null));
  const [functions, mappings, findings] = await Promise.all([
    db.query<FunctionRow>(
      `SELECT arn, account_id, role_arn, handler, package_type, environment, resource_policy, urls, risk, blast_radius, recommended_policy, permissions_key
         FROM functions WHERE scan_id = $1 AND arn = ANY($2::text[])`,
      [scanId, arns],
    ),
    db.query<{ uuid: string; function_arn: string; event_source_arn: string | null; state: string | null; batch_size: number | null }>(
      `SELECT uuid, function_arn, event_source_arn, state, batch_size FROM event_source_mappings WHERE scan_id = $1 AND function_arn = ANY($2::text[]) ORDER BY uuid`,
      [scanId, arns],
    ),
    db.query<{ id: number; title: string; reason: string; details: unknown }>(`SELECT id, title, reason, details FROM findings WHERE id = ANY($1::int[])`, [findingIds]),
  ]);
  const rowByArn = new Map(functions.map((f) => [f.arn, f]));
  const roleArns = [...new Set(functions.map((f) => f.role_arn))];
  const keys = [...new Set(functions.flatMap((f) => (f.permissions_key ? [f.permissions_key] : [])))];
  const [roles, permissionSets] = await Promise.all([
    db.query<{ arn: string; inline_policies: unknown; attached_policy_arns: unknown; permissions_boundary_arn: string | null }>(
      `SELECT arn, inline_policies, attached_policy_arns, permissions_boundary_arn FROM roles WHERE scan_id = $1 AND arn = ANY($2::text[])`,
      [scanId, roleArns],
    ),
    db.query<{ permissions_key: string; services: unknown; data_stores: unknown }>(
      `SELECT permissions_key, services, data_stores FROM permission_sets WHERE scan_id = $1 AND permissions_key = ANY($2::text[])`,
      [scanId, keys],
    ),
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
  const policies = wanted.size
    ? await db.query<{ account_id: string; arn: string; name: string; document: unknown }>(
        `SELECT p.account_id, p.arn, p.name, p.document FROM managed_policies p
           JOIN unnest($2::text[], $3::text[]) AS w(account_id, arn) ON p.account_id = w.account_id AND p.arn = w.arn
          WHERE p.scan_id = $1`,
        [scanId, [...wanted.values()].map((w) => w[0]), [...wanted.values()].map((w) => w[1])],
      )
    : [];
  const policyByKey = new Map(policies.map((p) => [`${p.account_id}|${p.arn}`, { name: p.name, document: managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) }]));
  const setByKey = new Map<string, PermissionSetPart>(permissionSets.map((p) => [p.permissions_key, decodePermissionSet({ permissionsKey: p.permissions_key, services: p.services, dataStores: p.data_stores }, scanId)]));
  const findingById = new Map(findings.map((f) => [f.id, f]));
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
      kind: /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) ? "aws-managed" : "customer-managed",
      document: p?.document ?? null,
    };
  };
  return page.map((v): ReportFunction => {
    const fn = rowByArn.get(v.arn);
    if (!fn) throw new Error(`Function ${v.arn} of scan ${scanId} disappeared while the report was read.`);
    const ref = { scanId, key: fn.arn };
    const role = roleByArn.get(fn.role_arn);
    const findingsOut = v.findings.map((f): ReportFinding => {
      const row = f.id !== null ? findingById.get(f.id) : undefined;
      const details = row ? findingDetailsCodec.decode(row.details, { scanId, key: f.id }) : undefined;
      return {
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
      };
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
      environment: environmentCodec.decode(fn.environment, ref).map((e) => ({ name: e.name, looksSecret: e.looksSecret, secretReason: e.secretReason })),
      policies: [
        ...(role?.inline ?? []).map<ReportPolicy>((p) => ({ name: p.name, arn: null, kind: "inline", document: p.document })),
        ...(role?.attached ?? []).map((arn) => managed(fn.account_id, arn)),
      ],
      permissionsBoundary: role?.boundary ? managed(fn.account_id, role.boundary) : null,
      resourcePolicy: resourcePolicyCodec.decode(fn.resource_policy, ref) ?? null,
      urls: functionUrlsCodec.decode(fn.urls, ref),
      eventSources: (mappingsByFunction.get(fn.arn) ?? []).map((m) => ({ uuid: m.uuid, eventSourceArn: m.event_source_arn, state: m.state, batchSize: m.batch_size })),
      isPublic: v.isPublic,
      sharedRole: v.sharedRole,
      incomplete: v.incomplete,
      riskScore: v.riskScore,
      severity: v.severity,
      risk: riskCodec.decode(fn.risk, ref) ?? null,
      findings: findingsOut,
      blastRadius: decodeBlastRadius(fn.blast_radius, fn.permissions_key ? setByKey.get(fn.permissions_key) : null, ref),
      recommendedPolicy: recommendedPolicyCodec.decode(fn.recommended_policy, ref) ?? null,
    };
  });
}
