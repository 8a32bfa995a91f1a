/** Shared building blocks for rules: resource breadth, per-statement grouping, reason text. */
import { isGrantConditional } from "@/lib/analysis/policy/permission-queries";
import { parseArn } from "@/lib/analysis/policy/arn-match";
import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import { actionSetOf } from "@/lib/analysis/policy/action-expansion";
import type { Grant, GrantLimit, Severity, StatementRef } from "@/lib/analysis/types";
import type { RuleHit } from "./types";

/**
 * Does the pattern cover every resource of its type in the account (or all accounts)?
 * `*`, `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`, `arn:aws:ssm:r:a:parameter/*` are broad;
 * `arn:aws:s3:::my-bucket/*` and `arn:aws:dynamodb:r:a:table/orders` are not.
 */
export function isBroadResource(pattern: string): boolean {
  if (pattern === "*") return true;
  const arn = parseArn(pattern);
  if (!arn) return pattern.startsWith("*");
  if (arn.service === "*" ) return true;
  const rest = arn.resource;
  if (/^[*?]+$/.test(rest)) return true;
  // S3 ARNs carry no resource type: `bucket` or `bucket/key`, so the bucket part decides.
  if (arn.service === "s3" || arn.service === "s3express") return /^[*?]+(\/.*)?$/.test(rest);
  // `type/*`, `type:*`, `type/*/*`: a resource-type prefix followed only by wildcards.
  const m = /^([A-Za-z0-9-]+)[/:](.*)$/.exec(rest);
  return !!m && /^[*?/:]+$/.test(m[2]);
}

/** Does the limit name this action (null: every action of the grant)? */
function limitTouches(limit: GrantLimit, action: string): boolean {
  return limit.actions === null || actionSetOf(limit.actions).has(action);
}

/** Resource limits (boundary/SCP) that restrict this action of the grant to some resources. */
function resourceLimits(grant: Grant, action: string) {
  return grant.limits.filter((l) => (l.kind === "boundary-resources" || l.kind === "scp-resources") && limitTouches(l, action));
}

// Rules ask per action of a grant; the answer for its resource list is the same each time.
const broadPatterns = new WeakMap<readonly string[], string[]>();

function broadOf(resources: string[]): string[] {
  let found = broadPatterns.get(resources);
  if (!found) broadPatterns.set(resources, (found = resources.filter(isBroadResource)));
  return found;
}

/**
 * The grant's broad resources for an action after boundary/SCP resource limits (a boundary that
 * confines the action to one bucket makes it narrow). NotResource counts as broad.
 * The list may be shared: callers read it.
 */
export function broadResourcesFor(grant: Grant, action: string): string[] {
  const own = grant.notResources ? [`* except ${grant.notResources.join(", ")}`] : broadOf(grant.resources);
  if (own.length === 0) return [];
  for (const limit of resourceLimits(grant, action)) {
    if (!limit.resources.some(isBroadResource)) return [];
  }
  // A deny on `*` for this action leaves nothing; effective-permissions normally removes it already.
  if (grant.limits.some((l) => l.kind === "deny-resources" && l.resources.includes("*") && limitTouches(l, action))) {
    return [];
  }
  return own;
}

/** The grant's resources as written, narrowed to the limits' resources when a boundary/SCP confines them. */
export function resourcesFor(grant: Grant, action: string): string[] {
  const limits = resourceLimits(grant, action);
  if (limits.length > 0 && grant.resources.includes("*")) return limits[limits.length - 1].resources;
  return grant.notResources ? [`* except ${grant.notResources.join(", ")}`] : grant.resources;
}

/** True when the grant applies only under conditions (its own, or a boundary/SCP/deny's). */
export const isConditional = (grant: Grant, action?: string): boolean => isGrantConditional(grant, action);

export function statementKey(ref: StatementRef): string {
  return `${ref.kind}|${ref.policyArn ?? ref.policyName}|${ref.statementIndex}`;
}

/** Matches gathered per statement, so a reason names each statement once. */
export interface StatementMatch {
  ref: StatementRef;
  actions: Set<string>;
  resources: Set<string>;
  conditional: boolean;
}

export class MatchCollector {
  private byStatement = new Map<string, StatementMatch>();
  /** Rules add a grant's actions one after another: its statement's match, kept for the next call. */
  private last: { grant: Grant; match: StatementMatch } | null = null;

  add(grant: Grant, action: string, resources: string[]): void {
    let match = this.last?.grant === grant ? this.last.match : undefined;
    if (!match) {
      const key = statementKey(grant.source);
      match = this.byStatement.get(key);
      if (!match) {
        match = { ref: grant.source, actions: new Set(), resources: new Set(), conditional: true };
        this.byStatement.set(key, match);
      }
      this.last = { grant, match };
    }
    match.actions.add(action);
    for (const r of resources) match.resources.add(r);
    if (match.conditional && !isConditional(grant, action)) match.conditional = false;
  }

  get size(): number {
    return this.byStatement.size;
  }

  matches(): StatementMatch[] {
    return [...this.byStatement.values()];
  }

  actions(): string[] {
    return unique(this.matches().flatMap((m) => [...m.actions]));
  }

  resources(): string[] {
    return unique(this.matches().flatMap((m) => [...m.resources]));
  }

  /** Conditional only when every contributing statement is. */
  allConditional(): boolean {
    return this.matches().every((m) => m.conditional);
  }

  /** "inline policy \"app\" statement #0 allows s3:putobject, … on *; …" */
  describe(maxActions = 6): string {
    return this.matches()
      .map((m) => {
        const when = m.conditional ? " (only when its conditions hold)" : "";
        return `${describeStatement(m.ref)} allows ${listActions([...m.actions], maxActions)} on ${[...m.resources].join(", ")}${when}`;
      })
      .join("; ");
  }

  hit(reason: string, extra: Partial<RuleHit> = {}): RuleHit {
    return {
      reason,
      statements: this.matches().map((m) => m.ref),
      actions: this.actions(),
      resources: this.resources(),
      ...extra,
    };
  }
}

export function listActions(actions: readonly string[], max = 6): string {
  const sorted = [...actions].sort();
  if (sorted.length <= max) return sorted.join(", ");
  return `${sorted.slice(0, max).join(", ")} and ${sorted.length - max} more`;
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

const ORDER: Severity[] = ["critical", "high", "medium", "low", "info"];

/** One step less severe (conditional access is a weaker signal). */
export function downgrade(severity: Severity): Severity {
  return ORDER[Math.min(ORDER.indexOf(severity) + 1, ORDER.length - 1)];
}

export function severityRank(severity: Severity): number {
  return ORDER.indexOf(severity);
}

export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(":"));
}

/** Condition operator without IfExists / set qualifiers: `ForAnyValue:StringLikeIfExists` → `StringLike`. */
export function baseOperator(operator: string): string {
  return operator.replace(/^For(Any|All)Value:/i, "").replace(/IfExists$/i, "");
}
