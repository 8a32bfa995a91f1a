/**
 * The verdicts every surface shows about a function, each decided here once: its severity, whether
 * it is public, and which of its inputs the scan could not read. The store writes them; the
 * readers (lib/queries) re-apply only what can change after a scan: suppressions.
 */
import type { CoverageGap } from "@/lib/snapshot/types";
import { SEVERITIES, type Severity } from "./types";
import { scoreRiskParts, SEVERITY_RULE, severityForScore } from "./risk-score";
import type { RiskScore } from "./types";

/** The rule whose unsuppressed finding makes a function public. */
export const PUBLIC_INVOKE_RULE = "public-invoke";

export { SEVERITY_RULE };

const rank = (s: Severity): number => SEVERITIES.indexOf(s);
export const worse = (a: Severity, b: Severity): Severity => (rank(a) <= rank(b) ? a : b);
export const atLeast = (s: Severity | null, min: Severity): boolean => s !== null && rank(s) <= rank(min);

/** See SEVERITY_RULE. `findingSeverities` are the unsuppressed findings' severities. */
export function functionSeverity(score: number, findingSeverities: Iterable<Severity>): Severity {
  const band = severityForScore(score);
  let severity: Severity = band === "critical" ? "high" : band;
  for (const s of findingSeverities) severity = worse(severity, s);
  return severity;
}

/**
 * A stored risk score as it stands once some findings are suppressed: their capability points and
 * the exposure they caused ("anyone can invoke it") leave the score and its explanation, and the
 * severity follows the one rule over the findings that remain. The one place this is decided;
 * lib/queries applies it for every surface. A score stored without its parts is returned as is.
 */
export function riskWithout(risk: RiskScore, suppressedFingerprints: ReadonlySet<string>): RiskScore {
  if (!risk.parts || suppressedFingerprints.size === 0 || !risk.parts.findings.some((f) => suppressedFingerprints.has(f.fingerprint))) return risk;
  const rescored = scoreRiskParts(risk.parts, suppressedFingerprints);
  const remaining = risk.parts.findings.filter((f) => !suppressedFingerprints.has(f.fingerprint)).map((f) => f.severity);
  return { ...rescored, severity: functionSeverity(rescored.score, remaining) };
}

/** One read the scan could not make for a function's inputs. */
export interface IncompleteInput {
  /** The AWS API (e.g. `lambda:GetPolicy`) or resolution step (e.g. `managed-policy`). */
  api: string;
  /** The error's name (e.g. `AccessDenied`) or, without one, the gap's message. */
  reason: string;
}

/** `AccessDeniedException: User … is not authorized` → `AccessDeniedException`. */
function reasonOf(message: string): string {
  const m = /^([A-Za-z][A-Za-z0-9.]*?(?:Exception|Error|Denied|Fault|NotFound|Throttling|Expired|Invalid[A-Za-z]*))\b/.exec(message);
  return m ? m[1] : message;
}

/** What `incompleteInputs` needs to know about a function: where it runs and as which role. */
export interface GapSubject {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  roleArn: string;
  /** Managed policies (and boundary) of its role, for gaps about one policy. */
  rolePolicyArns?: readonly string[];
}

/** Per-resource snapshot files: a gap for one of them is about one function or one role. */
const FUNCTION_FILE = /(?:^|\/)regions\/([^/]+)\/lambda\/(?:get-policy|list-function-url-configs)\/([^/]+)\.json$/;
const ROLE_FILE = /(?:^|\/)iam\/service-last-accessed\/([^/]+)\.json$/;

const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * Does this gap touch the function's inputs? A gap of another account or region never does. A gap
 * about named resources touches the functions it names, those executing as a role it names and
 * those whose role has a policy it names; a gap for one function's or one role's file touches that
 * function or that role's functions. Any other gap covers its whole scope: the region's functions
 * (a listing such as ListEventSourceMappings), or the account's (IAM authorization details), or
 * every function (the organization's SCPs). Unknown is not safe: what cannot be pinned counts wide.
 */
export function gapCoversFunction(gap: CoverageGap, fn: GapSubject): boolean {
  if (gap.accountId !== null && gap.accountId !== fn.accountId) return false;
  if (gap.region !== null && gap.region !== fn.region) return false;
  if (gap.resources && gap.resources.length > 0) {
    return gap.resources.some((r) => r === fn.arn || r === fn.roleArn || (fn.rolePolicyArns ?? []).includes(r));
  }
  const fnFile = gap.file ? FUNCTION_FILE.exec(gap.file) : null;
  if (fnFile) return fnFile[1] === fn.region && fnFile[2] === fn.name;
  const roleFile = gap.file ? ROLE_FILE.exec(gap.file) : null;
  if (roleFile) return roleFile[1] === nameOf(fn.roleArn);
  return true;
}

/** The reads the scan could not make for this function's inputs (see `gapCoversFunction`). */
export function incompleteInputs(fn: GapSubject, gaps: CoverageGap[]): IncompleteInput[] {
  const out = new Map<string, IncompleteInput>();
  for (const gap of gaps) {
    if (!gapCoversFunction(gap, fn)) continue;
    const entry = { api: gap.api, reason: reasonOf(gap.message) };
    out.set(`${entry.api}|${entry.reason}`, entry);
  }
  return [...out.values()].sort((a, b) => a.api.localeCompare(b.api) || a.reason.localeCompare(b.reason));
}

/** Words for a risk explanation: what the analysis could not see. */
export function incompleteExplanation(incomplete: IncompleteInput[]): string | null {
  if (incomplete.length === 0) return null;
  return `Incomplete: the scan could not read ${incomplete.map((i) => `${i.api} (${i.reason})`).join(", ")}, so this function's verdict may miss what those reads would show; unknown is not safe.`;
}
