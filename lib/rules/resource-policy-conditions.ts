/** Reading a function's resource policy: principals and whether conditions pin the caller. */
import type { StatementRef } from "@/lib/analysis/types";
import type { LambdaFunction, PolicyStatement } from "@/lib/snapshot/types";
import { baseOperator } from "./helpers";

const POSITIVE_OPERATORS = new Set(["stringequals", "stringlike", "arnequals", "arnlike", "stringequalsignorecase"]);

/** Condition keys (lower-cased) that this statement pins to concrete values with a positive operator. */
export function pinnedConditionKeys(statement: PolicyStatement): Set<string> {
  const keys = new Set<string>();
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    if (!POSITIVE_OPERATORS.has(baseOperator(operator).toLowerCase())) continue;
    for (const [key, raw] of Object.entries(entries)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map(String);
      // A value of "*" pins nothing.
      if (values.length > 0 && !values.some((v) => v === "*")) keys.add(key.toLowerCase());
    }
  }
  return keys;
}

export function conditionValues(statement: PolicyStatement, key: string): string[] {
  const out: string[] = [];
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    if (!POSITIVE_OPERATORS.has(baseOperator(operator).toLowerCase())) continue;
    for (const [k, raw] of Object.entries(entries)) {
      if (k.toLowerCase() === key) out.push(...(Array.isArray(raw) ? raw : [raw]).map(String));
    }
  }
  return out;
}

export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface ResourceStatement {
  statement: PolicyStatement;
  ref: StatementRef;
}

/** Allow statements of the function's resource policy, each with its StatementRef. */
export function allowStatements(fn: LambdaFunction): ResourceStatement[] {
  const statements = fn.resourcePolicy?.Statement ?? [];
  return statements.flatMap((statement, i) =>
    statement.Effect === "Allow"
      ? [{ statement, ref: { kind: "resource-policy" as const, policyName: "resource policy", policyArn: null, statementIndex: i, sid: statement.Sid ?? null } }]
      : [],
  );
}

export function actionsOf(statement: PolicyStatement): string[] {
  return statement.NotAction ? list(statement.NotAction).map((a) => `not ${a}`) : list(statement.Action);
}
