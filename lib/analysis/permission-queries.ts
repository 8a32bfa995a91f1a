/**
 * Fast questions over effective permissions (plain `Grant` data). The simulator answers
 * the same questions slowly with full reasons; tests keep the two in agreement.
 */
import { arnPatternMatches, resourceElementMatches } from "./arn-match";
import type { AccessDecision, EffectivePermissions, Grant, GrantLimit, StatementRef } from "./types";

const actionSets = new WeakMap<readonly string[], Set<string>>();

/** The grant's actions as a Set, built once per (shared) action array. */
export function actionSet(grant: Grant): Set<string> {
  let set = actionSets.get(grant.actions);
  if (!set) {
    set = new Set(grant.actions);
    actionSets.set(grant.actions, set);
  }
  return set;
}

/** Grants that allow this action on some resource. */
export function grantsFor(perms: EffectivePermissions, action: string): Grant[] {
  const wanted = action.toLowerCase();
  return perms.grants.filter((g) => actionSet(g).has(wanted));
}

/** Every action allowed on at least one resource. */
export function allowedActions(perms: EffectivePermissions): Set<string> {
  const all = new Set<string>();
  for (const g of perms.grants) for (const a of g.actions) all.add(a);
  return all;
}

/** "inline policy \"app\" statement #1 (Sid ReadBucket)" — the words every reason uses. */
export function describeStatement(ref: StatementRef): string {
  const kindWords: Record<StatementRef["kind"], string> = {
    inline: "inline policy",
    "customer-managed": "managed policy",
    "aws-managed": "AWS-managed policy",
    boundary: "permission boundary",
    scp: "SCP",
    "resource-policy": "resource policy",
    "trust-policy": "trust policy",
  };
  const sid = ref.sid ? ` (Sid ${ref.sid})` : "";
  const name = ref.kind === "resource-policy" ? "" : ` "${ref.policyName}"`;
  return `${kindWords[ref.kind]}${name} statement #${ref.statementIndex}${sid}`;
}

const limitActionSets = new WeakMap<string[], Set<string>>();

function limitApplies(limit: GrantLimit, action: string): boolean {
  if (limit.actions === null) return true;
  let set = limitActionSets.get(limit.actions);
  if (!set) {
    set = new Set(limit.actions);
    limitActionSets.set(limit.actions, set);
  }
  return set.has(action);
}

/** Does the limit's resource element (Resource, or NotResource for a deny) cover the ARN? */
function limitMatches(limit: GrantLimit, resource: string): boolean {
  if (limit.notResources) return !limit.notResources.some((p) => arnPatternMatches(p, resource));
  return limit.resources.some((p) => arnPatternMatches(p, resource));
}

/**
 * Fast-path decision for one action on one resource ARN (or `*`), from effective permissions.
 * Conditions that the function's context cannot settle make an allow conditional, never silent.
 */
export function decide(perms: EffectivePermissions, action: string, resource: string): AccessDecision {
  const wanted = action.toLowerCase();
  const allowedBy: AccessDecision["allowedBy"] = [];
  const deniedBy: AccessDecision["deniedBy"] = [];
  let unconditional = false;

  for (const grant of perms.grants) {
    if (!actionSet(grant).has(wanted)) continue;
    if (!resourceElementMatches(grant.resources, grant.notResources, resource)) continue;
    let blocked = false;
    let conditional = grant.conditions !== null;
    for (const limit of grant.limits) {
      if (!limitApplies(limit, wanted)) continue;
      const matches = limitMatches(limit, resource);
      switch (limit.kind) {
        case "deny-resources":
          if (matches) {
            blocked = true;
            deniedBy.push({ ref: limit.by, name: describeStatement(limit.by), reason: "explicit deny" });
          }
          break;
        case "deny-conditional":
          if (matches) conditional = true;
          break;
        case "boundary-resources":
        case "scp-resources":
          if (!matches) {
            blocked = true;
            deniedBy.push({
              ref: limit.by,
              name: describeStatement(limit.by),
              reason: `${limit.kind.startsWith("scp") ? "SCP" : "permission boundary"} allows it only on ${limit.resources.join(", ")}`,
            });
          }
          break;
        case "boundary-conditional":
        case "scp-conditional":
          conditional = true;
          break;
      }
    }
    if (blocked) continue;
    allowedBy.push({ ref: grant.source, name: describeStatement(grant.source), conditions: grant.conditions });
    if (!conditional) unconditional = true;
  }

  for (const removed of perms.removed) {
    if (removed.actions.includes(wanted)) {
      deniedBy.push({ ref: removed.removedBy, name: removed.removedByName, reason: removed.reason });
    }
  }

  if (allowedBy.length === 0) {
    const summary =
      deniedBy.length > 0
        ? `Denied: ${deniedBy[0].name} (${deniedBy[0].reason}).`
        : `Denied: no statement allows ${wanted} on ${resource}.`;
    return { decision: "denied", conditional: false, allowedBy, deniedBy, summary };
  }
  const conditional = !unconditional;
  const summary = conditional
    ? `Allowed only when the conditions of ${allowedBy[0].name} hold.`
    : `Allowed by ${allowedBy[0].name}.`;
  return { decision: "allowed", conditional, allowedBy, deniedBy, summary };
}
