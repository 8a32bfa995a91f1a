/**
 * What an account's analysis depends on, as content hashes, so a rescan can reuse the stored
 * analysis of accounts whose inputs did not change.
 *
 * - An account's own inputs: its whole snapshot record.
 * - The organization-level inputs every account's analysis may read: SCPs and the organization
 *   tree, coverage gaps, every account's roles and trust policies, identity and managed policies,
 *   users and groups, function ARNs, execution roles, package types, resource policies, URLs and
 *   event source mappings (escalation, assume-role and invoke paths cross accounts through
 *   them), the analysis code itself, and the day of the scan (date-based rules).
 *
 * What is left out of the organization-level key is read only by the analysis of the function
 * (or account) it belongs to: a function's configuration and environment (runtime, handler,
 * memory, timeout, code date, architectures, environment, layers, VPC, dead-letter target, KMS
 * key, tracing, log group) and the account's service-last-accessed data. So a deployment that
 * changes functions of 1 % of the accounts recomputes those accounts only; a changed policy,
 * trust or SCP anywhere recomputes every account.
 */
import crypto from "node:crypto";
import type { Account, LambdaFunction, Snapshot } from "@/lib/snapshot/types";

/** Function fields only that function's own analysis reads (rules and recommended policy). */
const FUNCTION_LOCAL_FIELDS = [
  "runtime",
  "handler",
  "memorySize",
  "timeout",
  "lastModified",
  "architectures",
  "environment",
  "layers",
  "vpc",
  "deadLetterTargetArn",
  "kmsKeyArn",
  "tracingMode",
  "logGroup",
] as const satisfies readonly (keyof LambdaFunction)[];

export interface AnalysisInputs {
  /** Organization-level key: equal keys mean every account's analysis reads the same shared inputs. */
  analysisKey: string;
  /** Account id → hash of the account's own records. */
  accountHashes: Map<string, string>;
}

/** JSON with object keys sorted: the snapshot reader fills some maps in file-read completion order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const LOCAL_FIELDS: ReadonlySet<string> = new Set(FUNCTION_LOCAL_FIELDS);

/**
 * An account's records as hashed, in two JSON texts that together hold all of them (each written
 * once: the account is large and the text is what costs): `shared`, what other accounts' analyses
 * may read (the account without its last-accessed data and its functions' local fields), and
 * `local`, the rest (last-accessed data by role, sorted: the one map; each function's local fields).
 * JSON in construction order otherwise.
 */
function accountTexts(account: Account): { shared: string; local: string } {
  const { lastAccessed, functions, ...rest } = account;
  const sharedFunctions: Record<string, unknown>[] = [];
  const localFunctions: Record<string, unknown>[] = [];
  for (const fn of functions) {
    const shared: Record<string, unknown> = {};
    const local: Record<string, unknown> = {};
    for (const key in fn) (LOCAL_FIELDS.has(key) ? local : shared)[key] = fn[key as keyof LambdaFunction];
    sharedFunctions.push(shared);
    localFunctions.push(local);
  }
  return {
    shared: JSON.stringify({ ...rest, functions: sharedFunctions }),
    local: JSON.stringify({ lastAccessed: Object.fromEntries(Object.entries(lastAccessed).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), functions: localFunctions }),
  };
}

function hash(parts: Iterable<string>): string {
  const h = crypto.createHash("sha256");
  for (const part of parts) h.update(part).update("\0");
  return h.digest("hex");
}

/**
 * What the inputs' hashes are made of, per snapshot: each account's own hash, in snapshot order, and
 * one hash of the organization-level inputs. The worker that reads a snapshot computes them and
 * posts them beside the snapshot (lib/jobs/analysis-worker.ts), so the scan need not hash it again.
 */
export interface AnalysisInputParts {
  accountHashes: [string, string][];
  sharedHash: string;
}

export function analysisInputParts(snapshot: Snapshot): AnalysisInputParts {
  const texts = snapshot.accounts.map(accountTexts);
  return {
    accountHashes: snapshot.accounts.map((account, i) => [account.accountId, hash([texts[i].shared, texts[i].local])]),
    sharedHash: hash([canonicalJson(snapshot.organization), canonicalJson(snapshot.gaps), ...texts.map((t) => t.shared)]),
  };
}

/**
 * The part of the organization-level key known before the snapshot is read: `codeVersion` names
 * the analysis code (a hash of its build or sources); `now` is the scan's reference time: date-based
 * rules count whole days, so results are reused within one UTC day. The key is this part, a dot,
 * then the hash of the organization-level inputs: a scan can find the scans it may reuse from
 * before its snapshot is read (lib/store/reuse-analysis.ts).
 */
export function analysisKeyPrefix(codeVersion: string, now: string | undefined): string {
  const day = (now ?? new Date().toISOString()).slice(0, 10);
  return `${hash([`code ${codeVersion}`, `day ${day}`])}.`;
}

export function analysisInputsFrom(parts: AnalysisInputParts, codeVersion: string, now: string | undefined): AnalysisInputs {
  return { analysisKey: `${analysisKeyPrefix(codeVersion, now)}${parts.sharedHash}`, accountHashes: new Map(parts.accountHashes) };
}

export function analysisInputs(snapshot: Snapshot, codeVersion: string, now: string | undefined): AnalysisInputs {
  return analysisInputsFrom(analysisInputParts(snapshot), codeVersion, now);
}
