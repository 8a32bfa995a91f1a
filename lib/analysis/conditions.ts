/**
 * Settle the condition keys a Lambda function's own request context decides
 * (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:RequestedRegion`).
 * Everything else stays on the grant so it shows as "allowed only when …": never silently
 * dropped, never silently granted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { ConditionBlock } from "@/lib/snapshot/types";

/** What the function's context knows. `undefined` = unknown; `null` = known to be absent. */
export interface ConditionContext {
  principalArn?: string | null;
  principalAccount?: string | null;
  principalOrgId?: string | null;
  /** Unknown (undefined) for generic grants: a function can call any region. */
  requestedRegion?: string | null;
}

export type SettledConditions =
  | { outcome: "true" }
  | { outcome: "false" }
  | { outcome: "unknown"; remaining: ConditionBlock };

const KEY_FIELDS: Record<string, keyof ConditionContext> = {
  "aws:principalarn": "principalArn",
  "aws:principalaccount": "principalAccount",
  "aws:principalorgid": "principalOrgId",
  "aws:requestedregion": "requestedRegion",
};

/** Lower-cased names of the context keys this module can settle. */
export const SETTLEABLE_KEYS = Object.keys(KEY_FIELDS);

type Leaf = (value: string, pattern: string) => boolean;

function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const body = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s").test(value);
}

// ARN operators compare the six colon-separated parts; a glob over the whole string is equivalent
// for the ARN values these keys carry (aws:PrincipalArn).
const POSITIVE: Record<string, Leaf> = {
  stringequals: (v, p) => v === p,
  stringequalsignorecase: (v, p) => v.toLowerCase() === p.toLowerCase(),
  stringlike: (v, p) => globMatch(p, v, false),
  arnequals: (v, p) => globMatch(p, v, false),
  arnlike: (v, p) => globMatch(p, v, false),
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
 * cannot decide it (set operators, policy variables, unsupported operators).
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
    if (op in POSITIVE) return false;
    return null;
  }
  if (op in POSITIVE) return values.some((p) => POSITIVE[op](value, p));
  if (op in NEGATED) return !values.some((p) => POSITIVE[NEGATED[op]](value, p));
  return null;
}

function asStrings(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => String(v));
}

/**
 * Settle a Condition block against the function's context. All conditions in a block must
 * hold (AND): one settled false makes the statement not apply; settled true ones are dropped.
 */
export function settleConditions(block: ConditionBlock | undefined | null, context: ConditionContext): SettledConditions {
  if (!block || Object.keys(block).length === 0) return { outcome: "true" };
  const remaining: ConditionBlock = {};
  let unknown = false;
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const field = KEY_FIELDS[key.toLowerCase()];
      const value = field === undefined ? undefined : context[field];
      const result = value === undefined ? null : evaluateLeaf(operator, value, asStrings(raw));
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
