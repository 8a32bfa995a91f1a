/**
 * Settle the condition keys whose value the request itself decides. Two kinds:
 * - the principal's identity (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`,
 *   `aws:PrincipalTag/<k>`, `aws:PrincipalType`) and the region when known;
 * - keys fixed by the kind of request: a Lambda function's role session calling an AWS API
 *   itself (no MFA, no service acting on its behalf, a freshly issued token…), see `REQUEST_KIND_KEYS`.
 * Everything else stays on the grant so it shows as "allowed only when …": never silently
 * dropped, never silently granted. This module is the one place those answers live: effective
 * permissions, escalation (trust policies included) and `saltzer can` all call it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { wildcardMatches } from "./glob";
import type { ConditionBlock, PolicyDocument, PolicyStatement } from "@/lib/snapshot/types";

/** What the request context knows. `undefined` = unknown; `null` = known to be absent. */
export interface ConditionContext {
  principalArn?: string | null;
  principalAccount?: string | null;
  principalOrgId?: string | null;
  /** Unknown (undefined) for generic grants: a function can call any region. */
  requestedRegion?: string | null;
  /** The principal's tags (a role's own tags); undefined when they were not collected. */
  principalTags?: Record<string, string>;
  /**
   * The request is a role session's own call (a Lambda function, or a role assumed from one):
   * the keys of `REQUEST_KIND_KEYS` are settled. False/undefined for IAM users and unknown callers.
   */
  roleSessionOwnCall?: boolean;
  /** When the request is evaluated (ISO); the session token was issued shortly before. */
  now?: string;
  /** Lower-cased keys the caller gives itself (`saltzer can --context`): left to the caller. */
  leaveOpen?: ReadonlySet<string>;
}

export type SettledConditions =
  | { outcome: "true" }
  | { outcome: "false" }
  | { outcome: "unknown"; remaining: ConditionBlock };

/** A condition key the request kind settles, with its value, why, and AWS's own words on it. */
export interface RequestKindKey {
  key: string;
  /** The value in a role session's own call; null = the key is absent from the request. */
  value: string | null;
  why: string;
  doc: string;
}

const GLOBAL_KEYS_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";

/**
 * Keys whose value a role session's own call fixes. Listed by `saltzer rules`.
 * `aws:TokenIssueTime` and `aws:SourceIp` are settled by operator (see `settleRequestKindLeaf`).
 */
export const REQUEST_KIND_KEYS: RequestKindKey[] = [
  {
    key: "aws:MultiFactorAuthPresent",
    value: null,
    why: "a Lambda role session (and any role it assumes) is never authenticated with MFA: the key is absent, so a Deny with BoolIfExists … false always applies and an Allow requiring true never does",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-multifactorauthpresent`,
  },
  {
    key: "aws:MultiFactorAuthAge",
    value: null,
    why: "absent when the session was not authenticated with MFA",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-multifactorauthage`,
  },
  {
    key: "aws:SourceAccount",
    value: null,
    why: "present only when an AWS service calls on behalf of a resource, never on the function's own call",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-sourceaccount`,
  },
  {
    key: "aws:SourceArn",
    value: null,
    why: "present only when an AWS service calls on behalf of a resource, never on the function's own call",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-sourcearn`,
  },
  {
    key: "aws:SourceOrgID",
    value: null,
    why: "present only when an AWS service calls on behalf of a resource, never on the function's own call",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-sourceorgid`,
  },
  {
    key: "aws:SourceOrgPaths",
    value: null,
    why: "present only when an AWS service calls on behalf of a resource, never on the function's own call",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-sourceorgpaths`,
  },
  {
    key: "aws:ViaAWSService",
    value: "false",
    why: "false when the principal calls the API itself, as the function does",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-viaawsservice`,
  },
  {
    key: "aws:PrincipalType",
    value: "AssumedRole",
    why: "a role session's principal type",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-principaltype`,
  },
  {
    key: "lambda:InvokedViaFunctionUrl",
    value: "false",
    why: "false on a direct Invoke call, which is how a function invokes another",
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
  },
  {
    key: "aws:TokenIssueTime",
    value: "(recent)",
    why: "the session token was issued within the last hours: a condition requiring it before an earlier date never holds, one requiring it after an earlier date always does",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-tokenissuetime`,
  },
  {
    key: "aws:SourceIp",
    value: "(any IPv4)",
    why: "IpAddress 0.0.0.0/0 matches every IPv4 address (NotIpAddress 0.0.0.0/0 none); other ranges stay unknown. Note: @cloud-copilot/iam-simulate does not match 0.0.0.0/0, so `can` settles it here first",
    doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress",
  },
  {
    key: "aws:PrincipalTag/<key>",
    value: "(the role's tags)",
    why: "a Lambda role session carries no session tags, so principal tags are the role's own tags; `${aws:PrincipalTag/<key>}` in a Resource resolves to them",
    doc: `${GLOBAL_KEYS_DOC}#condition-keys-principaltag`,
  },
];

const FIXED_BY_REQUEST_KIND = new Map(REQUEST_KIND_KEYS.filter((k) => !k.value?.startsWith("(")).map((k) => [k.key.toLowerCase(), k.value]));

/** The session token of a role session is at most this old (Lambda refreshes its credentials). */
const TOKEN_MAX_AGE_MS = 12 * 3600 * 1000;

/**
 * The value of a key in this context: a string, null (absent), or undefined (unknown).
 */
export function contextValue(key: string, context: ConditionContext): string | null | undefined {
  const k = key.toLowerCase();
  if (context.leaveOpen?.has(k)) return undefined;
  switch (k) {
    case "aws:principalarn":
      return context.principalArn;
    case "aws:principalaccount":
      return context.principalAccount;
    case "aws:principalorgid":
      return context.principalOrgId;
    case "aws:requestedregion":
      return context.requestedRegion;
  }
  if (k.startsWith("aws:principaltag/")) {
    if (!context.principalTags) return undefined;
    const tag = key.slice("aws:principaltag/".length);
    // Tag keys are case-insensitive in conditions.
    const hit = Object.entries(context.principalTags).find(([name]) => name.toLowerCase() === tag.toLowerCase());
    // A role session has no session tags, so a tag the role lacks is absent.
    return hit ? hit[1] : context.roleSessionOwnCall ? null : undefined;
  }
  if (context.roleSessionOwnCall && FIXED_BY_REQUEST_KIND.has(k)) return FIXED_BY_REQUEST_KIND.get(k)!;
  return undefined;
}

/** Lower-cased names of the context keys this module can settle (`aws:principaltag/*` by prefix). */
export const SETTLEABLE_KEYS = [
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:requestedregion",
  ...REQUEST_KIND_KEYS.map((k) => k.key.toLowerCase()),
];

/**
 * Replace `${…}` policy variables the context knows (`${aws:PrincipalTag/team}`,
 * `${aws:PrincipalAccount}` …) and the escapes `${*}`, `${?}`, `${$}`. Unknown variables stay.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function resolvePolicyVariables(text: string, context: ConditionContext): string {
  if (!text.includes("${")) return text;
  return text.replace(/\$\{([^}]+)\}/g, (whole, inner: string) => {
    if (inner === "*" || inner === "?" || inner === "$") return whole; // escapes are kept as written: they match literally
    const [name] = inner.split(/,\s*'/);
    const value = contextValue(name.trim(), context);
    return typeof value === "string" ? value : whole;
  });
}

type Leaf = (value: string, pattern: string) => boolean;

function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  return wildcardMatches(pattern, value, ignoreCase);
}

// ARN operators compare the six colon-separated parts; a glob over the whole string is equivalent
// for the ARN values these keys carry (aws:PrincipalArn).
const POSITIVE: Record<string, Leaf> = {
  stringequals: (v, p) => v === p,
  stringequalsignorecase: (v, p) => v.toLowerCase() === p.toLowerCase(),
  stringlike: (v, p) => globMatch(p, v, false),
  arnequals: (v, p) => globMatch(p, v, false),
  arnlike: (v, p) => globMatch(p, v, false),
  bool: (v, p) => v.toLowerCase() === p.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  stringnotequals: "stringequals",
  stringnotequalsignorecase: "stringequalsignorecase",
  stringnotlike: "stringlike",
  arnnotequals: "arnequals",
  arnnotlike: "arnlike",
};

/**
 * Evaluate one (operator, key, values) against a known value. Returns null when this module
 * cannot decide it (set operators, unresolved policy variables, unsupported operators).
 */
function evaluateLeaf(operator: string, value: string | null, values: string[]): boolean | null {
  let op = operator.toLowerCase();
  if (op.startsWith("forallvalues:") || op.startsWith("foranyvalue:")) return null;
  if (values.some((v) => v.includes("${"))) return null;
  if (op === "null") {
    if (values.length !== 1) return null;
    const wantsAbsent = values[0].toLowerCase() === "true";
    return wantsAbsent === (value === null);
  }
  const ifExists = op.endsWith("ifexists");
  if (ifExists) op = op.slice(0, -"ifexists".length);
  if (value === null) {
    // A missing key: IfExists passes, negated operators pass, positive operators fail.
    if (ifExists) return true;
    if (op in NEGATED) return true;
    if (op === "notipaddress" || op === "numericnotequals" || op === "datenotequals") return true;
    if (op in POSITIVE || op.startsWith("date") || op.startsWith("numeric") || op === "ipaddress") return false;
    return null;
  }
  if (op in POSITIVE) return values.some((p) => POSITIVE[op](value, p));
  if (op in NEGATED) return !values.some((p) => POSITIVE[NEGATED[op]](value, p));
  return null;
}

/**
 * Keys settled by the operator rather than by a known value: the token was issued recently (a
 * date comparison is decided when the date is well before or after now), and a source-IP range
 * of 0.0.0.0/0 contains every IPv4 address.
 */
function settleRequestKindLeaf(operator: string, key: string, values: string[], context: ConditionContext): boolean | null {
  if (!context.roleSessionOwnCall || context.leaveOpen?.has(key)) return null;
  const op = operator.toLowerCase().replace(/ifexists$/, "");
  if (key === "aws:tokenissuetime" && context.now && op.startsWith("date")) {
    const now = Date.parse(context.now);
    const issuedEarliest = now - TOKEN_MAX_AGE_MS;
    const dates = values.map((v) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v)));
    if (dates.some((d) => Number.isNaN(d))) return null;
    // Every possible issue time lies in [issuedEarliest, now].
    const verdicts = dates.map((d) => {
      switch (op) {
        case "datelessthan":
        case "datelessthanequals":
          return d < issuedEarliest ? false : d > now ? true : null;
        case "dategreaterthan":
        case "dategreaterthanequals":
          return d < issuedEarliest ? true : d > now ? false : null;
        case "dateequals":
          return d < issuedEarliest || d > now ? false : null;
        case "datenotequals":
          return d < issuedEarliest || d > now ? true : null;
        default:
          return null;
      }
    });
    if (verdicts.some((v) => v === true)) return true;
    return verdicts.every((v) => v === false) ? false : null;
  }
  if (key === "aws:sourceip" && (op === "ipaddress" || op === "notipaddress")) {
    const everyIpv4 = values.some((v) => v.trim() === "0.0.0.0/0");
    if (!everyIpv4) return null;
    // A call through a VPC endpoint carries no aws:SourceIp; settling IpAddress true errs towards
    // reporting access, never hiding it.
    return op === "ipaddress";
  }
  return null;
}

function asStrings(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => String(v));
}

/**
 * Settle a Condition block against the context. All conditions in a block must hold (AND): one
 * settled false makes the statement not apply; settled true ones are dropped.
 */
export function settleConditions(block: ConditionBlock | undefined | null, context: ConditionContext): SettledConditions {
  if (!block || Object.keys(block).length === 0) return { outcome: "true" };
  const remaining: ConditionBlock = {};
  let unknown = false;
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const values = asStrings(raw).map((v) => resolvePolicyVariables(v, context));
      const lower = key.toLowerCase();
      let result = settleRequestKindLeaf(operator, lower, values, context);
      if (result === null) {
        const value = contextValue(key, context);
        result = value === undefined ? null : evaluateLeaf(operator, value, values);
      }
      if (result === false) return { outcome: "false" };
      if (result === true) continue;
      unknown = true;
      (remaining[operator] ??= {})[key] = raw;
    }
  }
  return unknown ? { outcome: "unknown", remaining } : { outcome: "true" };
}

/** Condition keys a block mentions, lower-cased. */
export function conditionKeys(block: ConditionBlock | undefined | null): string[] {
  if (!block) return [];
  return Object.values(block).flatMap((keys) => Object.keys(keys ?? {}).map((k) => k.toLowerCase()));
}

/**
 * A policy document with the context applied: statements whose conditions settle false are left
 * out, settled conditions removed, known policy variables in Resource resolved. `originalIndex`
 * maps each kept statement back to its index in the written document. Used to hand the
 * simulator exactly what the fast path sees.
 */
export function settleDocument(document: PolicyDocument, context: ConditionContext): { document: PolicyDocument; originalIndex: number[] } {
  const statements: PolicyStatement[] = [];
  const originalIndex: number[] = [];
  document.Statement.forEach((statement, i) => {
    const settled = settleConditions(statement.Condition, context);
    if (settled.outcome === "false") return;
    const next: PolicyStatement = { ...statement };
    if (settled.outcome === "true") delete next.Condition;
    else next.Condition = settled.remaining;
    for (const field of ["Resource", "NotResource"] as const) {
      const value = statement[field];
      if (value === undefined) continue;
      next[field] = Array.isArray(value) ? value.map((v) => resolvePolicyVariables(v, context)) : resolvePolicyVariables(value, context);
    }
    statements.push(next);
    originalIndex.push(i);
  });
  return { document: { ...document, Statement: statements }, originalIndex };
}

/**
 * Condition keys whose value the caller of an AWS API picks for each request: a condition on
 * them narrows where a grant works, not whether an attacker holding it can use it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
 */
export const CALLER_CHOSEN_KEYS: ReadonlySet<string> = new Set(["aws:requestedregion"]);

/** Does the condition block test only caller-chosen keys (the request's region)? False for an empty block. */
export function testsOnlyCallerChosenKeys(block: ConditionBlock): boolean {
  let only = callerChosenOnly.get(block);
  if (only === undefined) {
    const keys = Object.values(block).flatMap((b) => Object.keys(b));
    callerChosenOnly.set(block, (only = keys.length > 0 && keys.every((k) => CALLER_CHOSEN_KEYS.has(k.toLowerCase()))));
  }
  return only;
}

// Asked of the same grant conditions for every decision on the grant.
const callerChosenOnly = new WeakMap<ConditionBlock, boolean>();
