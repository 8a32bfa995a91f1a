/**
 * The one filter of Saltzer's views: the risk view (/functions), its four exports, `saltzer report`
 * and `saltzer check` all select functions and findings with `applyViewFilter`, so "Export this
 * view" exports exactly the view and the CI gate counts what the view lists.
 *
 * Semantics (documented in the README, "Filters"):
 * - Function filters (account, region, runtime, public, shared role, incomplete, text) select
 *   functions by their stored verdicts, with suppressions applied (a function is public when it
 *   has an unsuppressed public-invoke finding).
 * - `severity` X selects functions whose severity is X or worse. Since a function is never below
 *   its worst unsuppressed finding, every finding of severity ≥ X is on a selected function.
 * - A selected function's findings in the view are its visible findings (unsuppressed; with
 *   `suppressed: "include"` also the suppressed ones; with `"only"` only those) of severity ≥ X
 *   and of the chosen category.
 * - `category` C selects functions with at least one such finding of category C.
 * - `q` (text) matches a function's name, ARN, role ARN or runtime — then it lists all its findings
 *   in view — or else an action or resource one of its findings in view names: then it lists only
 *   those findings (searching `s3:PutObject` shows who can put objects, and why).
 * - `suppressed: "only"` selects functions with at least one such suppressed finding (with
 *   `severity` X: a suppressed finding of severity ≥ X, whatever the function's severity now).
 * - Suppressed counts (report summary, check) are the findings `suppressed: "only"` lists.
 *
 * Pure: no database, so the CLI, the export route and the pages share it.
 */
import { z } from "zod";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import { atLeast } from "@/lib/analysis/verdicts";

export const SUPPRESSED_MODES = ["hide", "include", "only"] as const;
export type SuppressedMode = (typeof SUPPRESSED_MODES)[number];

/** One filter type for every surface. Unset fields do not filter. */
export interface ViewFilter {
  /** Account id, exact. */
  account?: string;
  /** Region, exact. */
  region?: string;
  /** Runtime, exact (e.g. `python3.12`). */
  runtime?: string;
  /** Minimum severity: of the function, and of the findings listed. */
  severity?: Severity;
  /** Finding category. */
  category?: string;
  /** Public (true) or not (false): has an unsuppressed public-invoke finding. */
  public?: boolean;
  /** Role shared with another function (true) or not (false). */
  sharedRole?: boolean;
  /** Some inputs could not be read (true) or all were (false). */
  incomplete?: boolean;
  /** Case-insensitive substring of the function's name, ARN, role ARN or runtime, or of an action or resource its findings name. */
  q?: string;
  /** Suppressed findings: hidden (default), included (marked), or only them. */
  suppressed?: SuppressedMode;
}

/** What the filter reads of a finding. */
export interface FilterableFinding {
  severity: Severity;
  category: string;
  suppressed: boolean;
  /**
   * The actions and resources the finding names, lower-cased, one per line: what a text search
   * matches besides the function. Needed only when a filter has `q` (loadScanView's `search` option).
   */
  searchText?: string;
}

/** The text a finding's actions and resources are searched in (see FilterableFinding.searchText). */
export function findingSearchText(actions: readonly string[], resources: readonly string[]): string {
  return [...actions, ...resources].join("\n").toLowerCase();
}

/** What the filter reads of a function (its verdicts with suppressions applied). */
export interface FilterableFunction<F extends FilterableFinding = FilterableFinding> {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  runtime: string | null;
  roleArn: string;
  isPublic: boolean;
  sharedRole: boolean;
  incomplete: unknown[];
  severity: Severity | null;
  findings: F[];
}

function functionMatches(fn: FilterableFunction, filter: ViewFilter): boolean {
  if (filter.account && fn.accountId !== filter.account) return false;
  if (filter.region && fn.region !== filter.region) return false;
  if (filter.runtime && fn.runtime !== filter.runtime) return false;
  if (filter.public !== undefined && fn.isPublic !== filter.public) return false;
  if (filter.sharedRole !== undefined && fn.sharedRole !== filter.sharedRole) return false;
  if (filter.incomplete !== undefined && fn.incomplete.length > 0 !== filter.incomplete) return false;
  // Suppressed findings alone: their own severity selects, not the function's (which they no longer raise).
  if (filter.severity && filter.suppressed !== "only" && !atLeast(fn.severity, filter.severity)) return false;
  return true;
}

const functionTextMatches = (fn: FilterableFunction, q: string): boolean => [fn.name, fn.arn, fn.roleArn, fn.runtime ?? ""].some((v) => v.toLowerCase().includes(q));

function findingTextMatches(f: FilterableFinding, q: string): boolean {
  // Loud, not empty: a surface that forgot to load the text would silently list fewer functions than the others.
  if (f.searchText === undefined) throw new Error("Text search needs the findings' actions and resources: load the scan view with { search: true }.");
  return f.searchText.includes(q);
}

/** The findings of a function that the view lists (see the module comment). */
export function findingsInView<F extends FilterableFinding>(findings: F[], filter: ViewFilter): F[] {
  const mode = filter.suppressed ?? "hide";
  return findings.filter((f) => {
    if (mode === "hide" && f.suppressed) return false;
    if (mode === "only" && !f.suppressed) return false;
    if (filter.severity && !atLeast(f.severity, filter.severity)) return false;
    if (filter.category && f.category !== filter.category) return false;
    return true;
  });
}

/**
 * The findings the view lists for a function it selects: those in view, narrowed to the ones
 * naming the text (`q`) when the function itself does not match it.
 */
export function findingsListed<F extends FilterableFinding>(fn: FilterableFunction<F>, filter: ViewFilter): F[] {
  const q = filter.q?.trim().toLowerCase() ?? "";
  const findings = findingsInView(fn.findings, filter);
  return q && !functionTextMatches(fn, q) ? findings.filter((f) => findingTextMatches(f, q)) : findings;
}

/** The functions the view lists, each with only the findings it lists. */
export function applyViewFilter<F extends FilterableFinding, T extends FilterableFunction<F>>(functions: T[], filter: ViewFilter): T[] {
  const q = filter.q?.trim().toLowerCase() ?? "";
  const out: T[] = [];
  for (const fn of functions) {
    if (!functionMatches(fn, filter)) continue;
    const findings = findingsListed(fn, filter);
    if (q && findings.length === 0 && !functionTextMatches(fn, q)) continue;
    if (filter.category && findings.length === 0) continue;
    if (filter.suppressed === "only" && findings.length === 0) continue;
    out.push({ ...fn, findings });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The filter as URL parameters (risk view, export route) and as CLI flags: one spelling each.

const yesNo = z
  .enum(["yes", "no"])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "yes"));

/** URL parameters of the risk view and the export route. */
export const viewFilterParams = z.object({
  account: z.string().regex(/^\d{12}$/, "account must be a 12-digit id").optional(),
  region: z.string().max(40).optional(),
  runtime: z.string().max(40).optional(),
  severity: z.enum(SEVERITIES as [Severity, ...Severity[]]).optional(),
  category: z.string().max(60).optional(),
  q: z.string().max(200).optional(),
  public: yesNo,
  shared: yesNo,
  incomplete: yesNo,
  suppressed: z.enum(SUPPRESSED_MODES).optional(),
});

/** A filter from URL parameters; an invalid value is reported, not ignored. */
export function parseViewFilter(params: Record<string, string | undefined>): { filter: ViewFilter; error: string | null } {
  const raw = Object.fromEntries(Object.entries(params).filter(([k, v]) => v !== undefined && v !== "" && k in viewFilterParams.shape));
  const parsed = viewFilterParams.safeParse(raw);
  if (!parsed.success) return { filter: {}, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const p = parsed.data;
  return {
    filter: clean({ account: p.account, region: p.region, runtime: p.runtime, severity: p.severity, category: p.category, q: p.q, public: p.public, sharedRole: p.shared, incomplete: p.incomplete, suppressed: p.suppressed }),
    error: null,
  };
}

/** The filter as URL parameters (the inverse of parseViewFilter). */
export function viewFilterToParams(filter: ViewFilter): Record<string, string> {
  const yn = (v: boolean | undefined) => (v === undefined ? undefined : v ? "yes" : "no");
  const out: Record<string, string | undefined> = {
    account: filter.account,
    region: filter.region,
    runtime: filter.runtime,
    severity: filter.severity,
    category: filter.category,
    q: filter.q,
    public: yn(filter.public),
    shared: yn(filter.sharedRole),
    incomplete: yn(filter.incomplete),
    suppressed: filter.suppressed && filter.suppressed !== "hide" ? filter.suppressed : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

/** CLI flags: the URL parameters as `--name value`, plus the older `--public-only` and `--include-suppressed`. */
export const VIEW_FILTER_FLAGS = {
  account: { type: "string" },
  region: { type: "string" },
  runtime: { type: "string" },
  severity: { type: "string" },
  category: { type: "string" },
  q: { type: "string" },
  public: { type: "string" },
  shared: { type: "string" },
  incomplete: { type: "string" },
  suppressed: { type: "string" },
  "public-only": { type: "boolean" },
  "include-suppressed": { type: "boolean" },
} as const;

export function viewFilterFromFlags(values: Record<string, unknown>): { filter: ViewFilter; error: string | null } {
  const params: Record<string, string | undefined> = {};
  for (const key of Object.keys(viewFilterParams.shape)) if (typeof values[key] === "string") params[key] = values[key] as string;
  if (values["public-only"]) params.public = "yes";
  if (values["include-suppressed"]) params.suppressed = "include";
  return parseViewFilter(params);
}

/** Words for a header: "account 222222222222, severity ≥ high". */
export function describeViewFilter(filter: ViewFilter): string {
  const yn = (v: boolean, yes: string, no: string) => (v ? yes : no);
  const parts = [
    filter.account ? `account ${filter.account}` : null,
    filter.region ? `region ${filter.region}` : null,
    filter.runtime ? `runtime ${filter.runtime}` : null,
    filter.severity ? `severity ≥ ${filter.severity}` : null,
    filter.category ? `category ${filter.category}` : null,
    filter.public !== undefined ? yn(filter.public, "public only", "non-public only") : null,
    filter.sharedRole !== undefined ? yn(filter.sharedRole, "shared roles only", "unshared roles only") : null,
    filter.incomplete !== undefined ? yn(filter.incomplete, "incomplete data only", "complete data only") : null,
    filter.q?.trim() ? `matching “${filter.q.trim()}”` : null,
    filter.suppressed === "include" ? "suppressed findings included" : filter.suppressed === "only" ? "suppressed findings only" : null,
  ].filter((p): p is string => p !== null);
  return parts.join(", ");
}

function clean(filter: ViewFilter): ViewFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ViewFilter;
}
