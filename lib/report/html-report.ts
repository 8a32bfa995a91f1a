/**
 * HTML export: one self-contained page (inline CSS, no script, nothing fetched) that reads
 * offline and prints. Every interpolated value goes through `escapeHtml` by way of the `html`
 * tag below; only fragments built by that tag are inserted unescaped.
 */
import { paletteCss } from "@/lib/palette";
import { ACCESS_LEVELS, SEVERITIES, type AccessLevel, type BlastRadius, type DataStoreAccess, type RuleMeta, type Severity } from "@/lib/analysis/types";
import { RISK_FORMULA } from "@/lib/analysis/risk-score";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { reportEntry, type JsonReport, type ReportEntry, type ReportFinding, type ReportFunction, type ReportHead } from "./build-json-report";
import { writeAll, type ReportWriter } from "./report-writer";
import { describeViewFilter, type ViewFilter } from "@/lib/queries/view-filter";
import { describeGap, statementLabel } from "./report-text";

export interface HtmlReportOptions {
  /** Overrides the filter the report carries (report.filter), printed under the title. */
  filters?: ViewFilter;
}

/** Caps keep one admin-like role from turning the page into a book; the JSON report has everything. */
const SHOW = { actions: 25, resources: 10, services: 30, dataStores: 15 } as const;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;
const EVERY_SPECIAL = new RegExp(SPECIAL.source, "g");

export function escapeHtml(value: string): string {
  // Most values (names, ARNs, counts) hold none of the five: returned as they are.
  return SPECIAL.test(value) ? value.replace(EVERY_SPECIAL, (c) => ESCAPES[c]) : value;
}

/** Markup built by `html`: the only thing inserted without escaping. */
class SafeHtml {
  constructor(readonly value: string) {}
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.value;
  if (typeof part === "string") return escapeHtml(part);
  if (Array.isArray(part)) {
    let out = "";
    for (const p of part) out += render(p);
    return out;
  }
  if (part === null || part === undefined || part === false) return "";
  return escapeHtml(String(part));
}

function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * Text from the snapshot, isolated for bidi: a U+202E in a name reverses only the name, never
 * what stands beside it. (Inside <code> and <a> the CSS below isolates as well.)
 */
const data = (value: Part): SafeHtml => html`<bdi>${value}</bdi>`;

const SEVERITY_RANK = (s: Severity | null): number => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));
const when = (iso: string | null): string => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/Z$/, " UTC") : "—");
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const anchor = (index: number): string => `fn-${index}`;

function badge(severity: Severity | null): SafeHtml {
  return severity ? html`<span class="badge sev-${severity}">${severity}</span>` : html`<span class="badge sev-none">not analysed</span>`;
}

function capped(items: string[], max: number, noun: string): SafeHtml {
  if (items.length === 0) return html`<span class="muted">none</span>`;
  const shown = items.slice(0, max);
  return html`<ul class="inline">${shown.map((i) => html`<li><code>${i}</code></li>`)}</ul>${items.length > max ? html` <span class="muted">… and ${plural(items.length - max, `more ${noun}`, `more ${noun}s`)}</span>` : null}`;
}

function filtersText(filters: ViewFilter | undefined): string | null {
  if (!filters) return null;
  return describeViewFilter(filters) || null;
}

function metadata(report: ReportHead, filters: ViewFilter | undefined): SafeHtml {
  const { scan } = report;
  const filtered = filtersText(filters);
  return html`<section id="scan">
<h2>Scan</h2>
<dl class="meta">
<dt>Scan</dt><dd>#${scan.id} (${scan.status})</dd>
<dt>Started</dt><dd>${when(scan.startedAt)}</dd>
<dt>Finished</dt><dd>${when(scan.finishedAt)}</dd>
<dt>Report generated</dt><dd>${when(report.generatedAt)} by ${report.generator.name} ${report.generator.version}</dd>
<dt>Source</dt><dd>${scan.source.kind}: <code>${scan.source.location}</code></dd>
<dt>Organization</dt><dd>${scan.organizationId ?? "—"}</dd>
<dt>Accounts</dt><dd>${
    scan.accounts.length
      ? html`<ul>${scan.accounts.map((a) => html`<li><code>${a.accountId}</code>${a.name ? html` ${data(a.name)}` : ""} <span class="muted">(${a.regions.join(", ") || "no regions"})</span></li>`)}</ul>`
      : html`<span class="muted">none</span>`
  }</dd>
<dt>Coverage gaps</dt><dd>${
    scan.gaps.length ? html`<ul class="gaps">${scan.gaps.map((g) => html`<li>${data(describeGap(g))}</li>`)}</ul>` : html`<span class="muted">none recorded</span>`
  }</dd>
${filtered ? html`<dt>Filters</dt><dd>${data(filtered)}</dd>` : null}
</dl>
</section>`;
}

function severityCounts(counts: Record<Severity, number>): SafeHtml {
  return html`<ul class="counts">${SEVERITIES.map((s) => html`<li>${badge(s)} ${counts[s]}</li>`)}</ul>`;
}

function summaryCards(report: ReportHead): SafeHtml {
  const { summary } = report;
  const findings = SEVERITIES.reduce((n, s) => n + summary.findingsBySeverity[s], 0);
  return html`<section id="summary">
<h2>Summary</h2>
<div class="cards">
<div class="card"><div class="label">Functions</div><div class="big">${summary.functions}</div>${severityCounts(summary.functionsBySeverity)}</div>
<div class="card"><div class="label">Findings</div><div class="big">${findings}</div>${severityCounts(summary.findingsBySeverity)}<div class="muted">${plural(summary.suppressedFindings, "suppressed finding")} not listed</div></div>
<div class="card"><div class="label">Public functions</div><div class="big">${summary.publicFunctions}</div><div class="muted">invocable from outside the account</div></div>
<div class="card"><div class="label">Secret-looking environment variables</div><div class="big">${summary.functionsWithSecrets}</div><div class="muted">functions (names only; values are never stored)</div></div>
<div class="card"><div class="label">Accounts</div><div class="big">${summary.accounts}</div></div>
</div>
</section>`;
}

function byRisk(a: ReportEntry, b: ReportEntry): number {
  return (b.riskScore ?? -1) - (a.riskScore ?? -1) || a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn);
}

/** Where the table's rows go in the page: they are written in pieces, after the page's head has gone out. */
const TABLE_ROWS = "\u0000rows\u0000";

function functionTable(sorted: ReportEntry[]): SafeHtml {
  if (sorted.length === 0) return html`<section id="functions"><h2>Functions</h2><p class="muted">No function matches.</p></section>`;
  return html`<section id="functions">
<h2>Functions by risk</h2>
<table class="functions">
<thead><tr><th>Function</th><th>Account</th><th>Region</th><th>Runtime</th><th class="num">Risk</th><th class="num">Findings</th></tr></thead>
<tbody>
${new SafeHtml(TABLE_ROWS)}</tbody>
</table>
</section>`;
}

function functionRow(fn: ReportEntry, index: number): SafeHtml {
  return html`<tr><td><a href="#${anchor(index)}">${data(fn.name)}</a>${fn.isPublic ? html` <span class="tag">public</span>` : null}${fn.incomplete.length ? html` <span class="tag">incomplete</span>` : null}${fn.sharedRole ? html` <span class="tag">shared role</span>` : null}</td><td><code>${fn.accountId}</code></td><td>${data(fn.region)}</td><td>${fn.runtime ?? "—"}</td><td class="num">${fn.riskScore ?? "—"} ${badge(fn.severity)}</td><td class="num">${fn.findingCount}</td></tr>
`;
}

/** Table rows per piece: at 10,000 functions the table is 2.7 MB, and the page's head should not wait for it. */
const ROWS_PER_PIECE = 1000;

function finding(f: ReportFinding, rule: RuleMeta | undefined): SafeHtml {
  return html`<li class="finding">
<div class="finding-head">${badge(f.severity)} <strong>${data(f.title)}</strong> <span class="muted"><code>${f.ruleId}</code>${f.category === f.ruleId ? "" : ` · ${f.category}`}</span>${f.suppressed ? html` <span class="tag">suppressed</span>` : null}</div>
<p>${data(f.reason)}</p>
${f.suppressed && f.suppression ? html`<p class="muted">Suppressed: ${data(f.suppression.reason)}${f.suppression.expiresAt ? ` (until ${when(f.suppression.expiresAt)})` : ""}</p>` : null}
<dl class="facts">
${f.statements.length ? html`<dt>Statements</dt><dd>${capped(f.statements.map(statementLabel), SHOW.resources, "statement")}</dd>` : null}
${f.actions.length ? html`<dt>Actions</dt><dd>${capped(f.actions, SHOW.actions, "action")}</dd>` : null}
${f.resources.length ? html`<dt>Resources</dt><dd>${capped(f.resources, SHOW.resources, "resource")}</dd>` : null}
${rule ? html`<dt>Remediation</dt><dd>${rule.remediation}</dd>` : null}
${rule?.references.length ? html`<dt>Documentation</dt><dd><a href="#rule-${rule.id}">${plural(rule.references.length, "reference")} in the rule catalogue</a></dd>` : null}
</dl>
</li>`;
}

/**
 * Markup of a value many functions share (a permission set's services and data stores, a role's
 * recommendation: the report's source hands out the same object), built once per object.
 */
function sharedMarkup<K extends object>(cache: WeakMap<K, Map<string, SafeHtml>>, key: K, variant: string, build: () => SafeHtml): SafeHtml {
  let byVariant = cache.get(key);
  if (!byVariant) cache.set(key, (byVariant = new Map()));
  let markup = byVariant.get(variant);
  if (!markup) byVariant.set(variant, (markup = build()));
  return markup;
}

const servicesMarkup = new WeakMap<object, Map<string, SafeHtml>>();
const dataStoresMarkup = new WeakMap<object, Map<string, SafeHtml>>();
const recommendationMarkup = new WeakMap<object, Map<string, SafeHtml>>();

function serviceRows(radius: BlastRadius): SafeHtml {
  return sharedMarkup(servicesMarkup, radius.services, "", () => serviceRowsOf(radius));
}

function serviceRowsOf(radius: BlastRadius): SafeHtml {
  const total = (s: BlastRadius["services"][number]) => s.levels.reduce((n, l) => n + l.actionCount, 0);
  const services = [...radius.services].sort((a, b) => total(b) - total(a) || a.service.localeCompare(b.service));
  const shown = services.slice(0, SHOW.services);
  const count = (s: BlastRadius["services"][number], level: AccessLevel) => s.levels.find((l) => l.level === level)?.actionCount ?? 0;
  return html`<table class="services">
<thead><tr><th>Service</th>${ACCESS_LEVELS.map((l) => html`<th class="num">${l}</th>`)}</tr></thead>
<tbody>${shown.map((s) => html`<tr><td><code>${s.service}</code></td>${ACCESS_LEVELS.map((l) => html`<td class="num">${count(s, l) || "·"}</td>`)}</tr>`)}</tbody>
</table>${services.length > shown.length ? html`<p class="muted">… and ${plural(services.length - shown.length, "more service")} (see the JSON report).</p>` : null}`;
}

function dataStoreList(label: string, stores: DataStoreAccess[]): SafeHtml {
  return sharedMarkup(dataStoresMarkup, stores, label, () => dataStoreListOf(label, stores));
}

function dataStoreListOf(label: string, stores: DataStoreAccess[]): SafeHtml {
  if (stores.length === 0) return html`<dt>${label}</dt><dd><span class="muted">none</span></dd>`;
  const shown = stores.slice(0, SHOW.dataStores);
  return html`<dt>${label}</dt><dd><ul>${shown.map((d) => html`<li><code>${d.service}</code> <code>${d.resource}</code>${d.conditional ? " (conditional)" : ""}</li>`)}</ul>${
    stores.length > shown.length ? html`<span class="muted">… and ${stores.length - shown.length} more</span>` : null
  }</dd>`;
}

const radiusMarkup = new WeakMap<object, Map<string, SafeHtml>>();

function blastRadius(radius: BlastRadius | null): SafeHtml {
  if (!radius) return html`<h4>Blast radius</h4><p class="muted">Not analysed.</p>`;
  // A role's functions share one radius object (lib/queries/json-report.ts): its markup is built once.
  return sharedMarkup(radiusMarkup, radius, "", () => blastRadiusOf(radius));
}

function blastRadiusOf(radius: BlastRadius): SafeHtml {
  const t = radius.totals;
  return html`<h4>Blast radius</h4>
<h5>Directly, with its own role</h5>
<p>${plural(t.actions, "action")} on ${plural(t.services, "service")} and ${plural(t.resources, "resource pattern")}; reaches ${plural(t.reachableFunctions, "other function")}; can pass ${plural(radius.rolesPassable.length, "role")} and assume ${plural(radius.rolesAssumable.length, "role")}; ${plural(radius.escalationPaths.length, "escalation path")}.</p>
${radius.services.length ? serviceRows(radius) : html`<p class="muted">No service access.</p>`}
<dl class="facts">
${dataStoreList("Data stores read", radius.dataStores.read)}
${dataStoreList("Data stores written", radius.dataStores.write)}
${dataStoreList("Data stores deleted", radius.dataStores.delete)}
${radius.escalationPaths.length ? html`<dt>Escalation</dt><dd><ul>${radius.escalationPaths.map((p) => html`<li>${data(p.title)}${p.target ? html` → <code>${p.target}</code>` : null}${p.conditional ? " (conditional)" : ""}</li>`)}</ul></dd>` : null}
</dl>
${afterEscalation(radius)}`;
}

/** What escalation adds, labelled as the JSON report and the function page label it: "Directly" above, this after. */
function afterEscalation(radius: BlastRadius): SafeHtml | null {
  const after = radius.afterEscalation;
  if (!after) return null;
  return html`<h5 class="after-escalation">After escalation, via ${after.via.map((v, i) => html`${i ? ", " : ""}<code>${v.roleArn.split("/").pop() ?? v.roleArn}</code> (${v.method}${v.conditional ? ", conditional" : ""})`)}</h5>
<p class="muted">The roles it can gain reach ${plural(after.services, "service")}.</p>
<dl class="facts">
${dataStoreList("Data stores read", after.dataStores.read)}
${dataStoreList("Data stores written", after.dataStores.write)}
${dataStoreList("Data stores deleted", after.dataStores.delete)}
</dl>`;
}

function recommendation(fn: ReportFunction): SafeHtml {
  const rec = fn.recommendedPolicy;
  if (!rec) return html`<h4>Recommended policy</h4><p class="muted">Not analysed.</p>`;
  return sharedMarkup(recommendationMarkup, rec, String(fn.sharedRole), () => recommendationOf(rec, fn.sharedRole));
}

function recommendationOf(rec: NonNullable<ReportFunction["recommendedPolicy"]>, sharedRole: boolean): SafeHtml {
  return html`<h4>Recommended policy</h4>
<p class="muted">Based on ${rec.confidence === "usage-data" ? "usage data (service last accessed)" : "configuration only"}; removes ${plural(rec.removedActionCount, "action")}.${sharedRole ? " The role is shared: this policy is the role's and covers all of its functions." : ""}</p>
${rec.notes.length ? html`<ul class="notes">${rec.notes.map((n) => html`<li>${data(n)}</li>`)}</ul>` : null}
<pre>${JSON.stringify(rec.document, null, 2)}</pre>`;
}

function functionSection(fn: ReportFunction, index: number, rules: Map<string, RuleMeta>): SafeHtml {
  return html`<section class="fn" id="${anchor(index)}">
<h3>${data(fn.name)} ${badge(fn.severity)} <span class="score">${fn.riskScore === null ? "" : `${fn.riskScore}/100`}</span></h3>
<dl class="facts">
<dt>ARN</dt><dd><code>${fn.arn}</code></dd>
<dt>Role</dt><dd><code>${fn.roleArn}</code>${fn.sharedRole ? " (shared with other functions)" : ""}</dd>
<dt>Runtime</dt><dd>${data(fn.runtime ?? "—")} · ${fn.packageType}</dd>
${fn.incomplete.length ? html`<dt>Incomplete data</dt><dd class="incomplete">The scan could not read ${data(fn.incomplete.map((i) => `${i.api} (${i.reason})`).join(", "))}: this verdict may miss what those reads would show.</dd>` : null}
<dt>Exposure</dt><dd>${fn.isPublic ? "Invocable by anyone (public-invoke finding)" : "Not public"}${fn.urls.length ? ` · ${plural(fn.urls.length, "function URL")}` : ""}${fn.eventSources.length ? ` · ${plural(fn.eventSources.length, "event source")}` : ""}</dd>
</dl>
${fn.risk ? html`<h4>Why this score</h4><ul class="notes">${fn.risk.explanation.map((e) => html`<li>${data(e)}</li>`)}</ul>` : null}
<h4>Findings (${fn.findings.length})</h4>
${fn.findings.length ? html`<ol class="findings">${fn.findings.map((f) => finding(f, rules.get(f.ruleId)))}</ol>` : html`<p class="muted">No findings.</p>`}
${blastRadius(fn.blastRadius)}
${recommendation(fn)}
</section>`;
}

function appendix(): SafeHtml {
  return html`<section id="rules" class="appendix">
<h2>Appendix A · Rule catalogue</h2>
${RULE_CATALOGUE.map(
  (r) => html`<div class="rule" id="rule-${r.id}">
<h3>${r.title} ${badge(r.severity)}</h3>
<p class="muted"><code>${r.id}</code> · ${r.category}</p>
<p>${r.description}</p>
<p><strong>Risk.</strong> ${r.risk}</p>
<p><strong>Remediation.</strong> ${r.remediation}</p>
${r.references.length ? html`<ul class="refs">${r.references.map((ref) => (/^https?:\/\//.test(ref) ? html`<li><a href="${ref}">${ref}</a></li>` : html`<li>${ref}</li>`))}</ul>` : null}
</div>
`,
)}
</section>
<section id="formula" class="appendix">
<h2>Appendix B · Risk score</h2>
<pre>${RISK_FORMULA}</pre>
</section>`;
}

const CSS = `
${paletteCss()}
:root { --fg: var(--ink); --bg-soft: var(--bg); }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1120px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 12px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 8px; } h4 { font-size: 14px; margin: 16px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
code { overflow-wrap: anywhere; }
/* Snapshot text is data: each name is its own bidi isolate, and a name longer than the page wraps. */
code, a, strong, bdi { unicode-bidi: isolate; }
body { overflow-wrap: anywhere; }
pre { background: var(--bg-soft); border: 1px solid var(--line); padding: 10px; overflow: auto; max-height: 480px; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: var(--accent); }
.muted { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; gap: 16px; flex-wrap: wrap; }
dl.meta, dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dt { font-weight: 600; } dd { margin: 0; } dd ul { margin: 0; padding-left: 18px; }
ul.inline { display: inline; padding: 0; margin: 0; } ul.inline li { display: inline; } ul.inline li + li::before { content: ", "; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px; background: var(--bg-soft); }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .big { font-size: 28px; font-weight: 700; }
ul.counts { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 4px 10px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; } .num { text-align: right; white-space: nowrap; }
table.services { width: auto; min-width: 50%; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; vertical-align: middle; border: 1px solid transparent; }
/* The dashboard's badges: severity colour on its soft background (lib/palette.ts). */
.sev-critical { background: var(--critical-soft); color: var(--critical); } .sev-high { background: var(--high-soft); color: var(--high); }
.sev-medium { background: var(--medium-soft); color: var(--medium); } .sev-low { background: var(--low-soft); color: var(--low); }
.sev-info, .sev-none { background: var(--info-soft); color: var(--info); }
.tag { display: inline-block; padding: 0 6px; border: 1px solid var(--line); border-radius: 4px; font-size: 11px; color: var(--muted); }
.fn { border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
.fn .score { color: var(--muted); font-weight: 400; font-size: 14px; }
ol.findings { padding-left: 20px; } .finding { margin: 0 0 12px; } .finding p { margin: 4px 0; }
.rule { border-top: 1px solid var(--line); padding: 12px 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  pre { max-height: none; overflow: visible; font-size: 8pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4 { break-after: avoid; }
  .card, .finding, tr, .rule { break-inside: avoid; }
  .fn { border: none; border-top: 2px solid var(--line); border-radius: 0; padding: 8px 0; }
  .appendix { break-before: page; }
}
`;

/** Where the function sections go in the page: the page is written around them. */
const SECTIONS = "\u0000sections\u0000";

/** HTML in parts (lib/report/report-writer.ts): the page up to the details, each function's section, the rest. */
export function htmlWriter(report: ReportHead, entries: readonly ReportEntry[], options: HtmlReportOptions = {}): ReportWriter {
  const sorted = [...entries].sort(byRisk);
  const index = new Map(sorted.map((fn, i) => [fn, i]));
  const attention = (fn: ReportEntry) => SEVERITY_RANK(fn.severity) <= SEVERITIES.indexOf("medium");
  // Functions at medium risk or above come first; every function gets its section.
  const sections = [...sorted.filter(attention), ...sorted.filter((fn) => !attention(fn))];
  const rules = new Map(RULE_CATALOGUE.map((r) => [r.id, r]));
  const title = `Saltzer least-privilege report · scan #${report.scan.id}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="${report.generator.name} ${report.generator.version}">
<title>${title}</title>
<style>${new SafeHtml(CSS)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="muted">Least-privilege audit of AWS Lambda functions: what each function's role can do, why, and a tighter policy.</p>
<nav><ul><li><a href="#scan">Scan</a></li><li><a href="#summary">Summary</a></li><li><a href="#functions">Functions</a></li><li><a href="#details">Details</a></li><li><a href="#rules">Rules</a></li><li><a href="#formula">Risk score</a></li></ul></nav>
</header>
<main>
${metadata(report, options.filters ?? report.filter)}
${summaryCards(report)}
${functionTable(sorted)}
<section id="details">
<h2>Function details</h2>
${new SafeHtml(SECTIONS)}
</section>
${appendix()}
</main>
</body>
</html>
`.value;
  // The last of each marker: only the scan's metadata, which comes first, holds snapshot text.
  const at = page.lastIndexOf(SECTIONS);
  const rowsAt = page.lastIndexOf(TABLE_ROWS);
  function* begin(): Generator<string> {
    if (rowsAt < 0) {
      yield page.slice(0, at);
      return;
    }
    yield page.slice(0, rowsAt);
    for (let i = 0; i < sorted.length; i += ROWS_PER_PIECE) {
      let rows = "";
      for (let j = i; j < Math.min(i + ROWS_PER_PIECE, sorted.length); j++) rows += functionRow(sorted[j], j).value;
      yield rows;
    }
    yield page.slice(rowsAt + TABLE_ROWS.length, at);
  }
  return {
    parts: "analysis",
    order: sections,
    begin,
    write: (fn, entry) => functionSection(fn, index.get(entry) ?? 0, rules).value,
    end: () => page.slice(at + SECTIONS.length),
  };
}

export function toHtml(report: JsonReport, options: HtmlReportOptions = {}): string {
  const entries = report.functions.map(reportEntry);
  return writeAll(htmlWriter(report, entries, options), entries, report.functions);
}
