/**
 * Fast questions over effective permissions (plain `Grant` data). The simulator answers
 * the same questions slowly with full reasons; tests keep the two in agreement.
 */
import { bitsOf, holdsAction, sortedActions, unionBits, type ActionBits } from "./action-bits";
import { actionSetOf, type ActionLookup } from "./action-expansion";
import { arnPatternMatches, parseArn, resourceElementMatches } from "./arn-match";
import { settleConditions, testsOnlyCallerChosenKeys } from "./conditions";
import type { AccessDecision, EffectivePermissions, Grant, GrantLimit, StatementRef } from "../types";
import type { ConditionBlock } from "@/lib/snapshot/types";

/** Membership in the grant's actions, built once per (shared) action array. */
export function actionSet(grant: Grant): ActionLookup {
  return actionSetOf(grant.actions);
}

/** Grants that allow this action on some resource. */
export function grantsFor(perms: EffectivePermissions, action: string): Grant[] {
  const wanted = action.toLowerCase();
  return perms.grants.filter((g) => actionSet(g).has(wanted));
}

/** Every action allowed on at least one resource. */
export function allowedActions(perms: EffectivePermissions): ReadonlySet<string> {
  let all = allowedActionSets.get(perms.grants);
  if (!all) {
    all = new Set<string>();
    for (const g of perms.grants) for (const a of g.actions) all.add(a);
    allowedActionSets.set(perms.grants, all);
  }
  return all;
}

/** Every action allowed on at least one resource, as bits (see action-bits.ts). */
export function allowedActionBits(perms: EffectivePermissions): ActionBits {
  let bits = allowedBits.get(perms.grants);
  if (!bits) allowedBits.set(perms.grants, (bits = unionBits(perms.grants.map((g) => bitsOf(g.actions)))));
  return bits;
}

/** The same permission set's actions, sorted (the recommender walks them in order). */
export function sortedAllowedActions(perms: EffectivePermissions): readonly string[] {
  let sorted = sortedActionLists.get(perms.grants);
  if (!sorted) sortedActionLists.set(perms.grants, (sorted = sortedActions(allowedActionBits(perms))));
  return sorted;
}

// Keyed by the grants array, which effectivePermissions shares between equal permission sets.
const allowedActionSets = new WeakMap<readonly Grant[], Set<string>>();
const allowedBits = new WeakMap<readonly Grant[], ActionBits>();
const sortedActionLists = new WeakMap<readonly Grant[], string[]>();

const KIND_WORDS: Record<StatementRef["kind"], string> = {
  inline: "inline policy",
  "customer-managed": "managed policy",
  "aws-managed": "AWS-managed policy",
  boundary: "permission boundary",
  scp: "SCP",
  "resource-policy": "resource policy",
  "trust-policy": "trust policy",
};

// Grants keep their statement's ref object, and decisions name it again and again.
const statementWords = new WeakMap<StatementRef, string>();

/** "inline policy \"app\" statement #1 (Sid ReadBucket)" — the words every reason uses. */
export function describeStatement(ref: StatementRef): string {
  let words = statementWords.get(ref);
  if (words === undefined) {
    const sid = ref.sid ? ` (Sid ${ref.sid})` : "";
    const name = ref.kind === "resource-policy" ? "" : ` "${ref.policyName}"`;
    statementWords.set(ref, (words = `${KIND_WORDS[ref.kind]}${name} statement #${ref.statementIndex}${sid}`));
  }
  return words;
}

function limitApplies(limit: GrantLimit, action: string): boolean {
  return limit.actions === null || actionSetOf(limit.actions).has(action);
}

/** Does the limit's resource element (Resource, or NotResource for a deny) cover the ARN? */
function limitMatches(limit: GrantLimit, resource: string): boolean {
  if (limit.notResources) return !limit.notResources.some((p) => arnPatternMatches(p, resource));
  return limit.resources.some((p) => arnPatternMatches(p, resource));
}

/** The region part of a concrete regional ARN, or null (`*`, global services, patterns). */
function regionOf(resource: string): string | null {
  const parsed = parseArn(resource);
  return parsed && parsed.region && !/[*?]/.test(parsed.region) ? parsed.region : null;
}

/** Does this limit make the grant conditional (for this action, when given)? */
function limitIsConditional(limit: GrantLimit): boolean {
  return (limit.kind === "deny-conditional" || limit.kind === "boundary-conditional" || limit.kind === "scp-conditional") && !limit.avoidable;
}

/** True when the grant applies only under conditions (its own, or a boundary/SCP/deny's). */
export function isGrantConditional(grant: Grant, action?: string): boolean {
  if (grant.conditions && !testsOnlyCallerChosenKeys(grant.conditions)) return true;
  return grant.limits.some((l) => limitIsConditional(l) && (action === undefined || limitApplies(l, action)));
}

/**
 * A grant's limits applied to one (action, resource): blocked by a deny or by a boundary/SCP
 * that allows it elsewhere only, or left conditional. The one place limits are interpreted.
 */
export function applyLimits(grant: Grant, action: string, resource: string): { blocked: boolean; conditional: boolean; deniedBy: AccessDecision["deniedBy"] } {
  let blocked = false;
  const regionalGrant = grant.conditions !== null && testsOnlyCallerChosenKeys(grant.conditions);
  let conditional = grant.conditions !== null && !regionalGrant;
  const deniedBy: AccessDecision["deniedBy"] = [];
  const regionLimits: GrantLimit[] = [];
  for (const limit of grant.limits) {
    if (!limitApplies(limit, action)) continue;
    const matches = limitMatches(limit, resource);
    if (limit.avoidable) {
      if (limit.kind !== "deny-conditional" || matches) regionLimits.push(limit);
      continue;
    }
    switch (limit.kind) {
      case "deny-resources":
        if (matches) {
          blocked = true;
          deniedBy.push({ ref: limit.by, name: describeStatement(limit.by), reason: "explicit deny" });
        }
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
      case "deny-conditional":
        if (matches) conditional = true;
        break;
      default:
        conditional = true;
    }
  }
  if (regionalGrant || regionLimits.length > 0) {
    // The caller picks the region: usable when some region satisfies the grant's region conditions
    // and every region-only limit. A regional ARN fixes the region to its own.
    const fixed = regionOf(resource);
    const candidates = fixed ? [fixed] : candidateRegions([...(regionalGrant ? [grant.conditions!] : []), ...regionLimits.map((l) => l.conditions!)]);
    const failing = (region: string): GrantLimit | "grant" | null => {
      if (regionalGrant && !holdsInRegion(grant.conditions!, region)) return "grant";
      for (const limit of regionLimits) {
        const holds = holdsInRegion(limit.conditions!, region);
        if (limit.kind === "deny-conditional" ? holds : !holds) return limit;
      }
      return null;
    };
    const outcomes = candidates.map((region) => ({ region, failure: failing(region) }));
    if (!outcomes.some((o) => o.failure === null)) {
      blocked = true;
      const first = outcomes.find((o) => o.failure !== "grant")?.failure;
      if (first && first !== "grant") {
        const who = first.by.kind === "scp" ? "SCP" : first.by.kind === "boundary" ? "permission boundary" : "explicit deny";
        deniedBy.push({ ref: first.by, name: describeStatement(first.by), reason: `${who} blocks ${fixed ? `region ${fixed}` : "every region the statement allows"}` });
      }
    }
  }
  return { blocked, conditional, deniedBy };
}


// Conditions belong to grants and limits shared by every decision on them: each is settled once per region.
const regionOutcomes = new WeakMap<ConditionBlock, Map<string, boolean>>();

/** Do the conditions hold for a request to this region (and nothing else known)? */
function holdsInRegion(conditions: ConditionBlock, region: string): boolean {
  let byRegion = regionOutcomes.get(conditions);
  if (!byRegion) regionOutcomes.set(conditions, (byRegion = new Map()));
  let holds = byRegion.get(region);
  if (holds === undefined) byRegion.set(region, (holds = settleConditions(conditions, { requestedRegion: region }).outcome === "true"));
  return holds;
}

/** Every region the conditions name, plus one none of them names. */
function candidateRegions(blocks: ConditionBlock[]): string[] {
  const named = new Set<string>();
  for (const block of blocks) for (const byKey of Object.values(block)) for (const value of Object.values(byKey)) for (const v of [value].flat()) if (typeof v === "string" && !/[*?]/.test(v)) named.add(v);
  return [...named, "zz-unnamed-1"];
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
    const outcome = applyLimits(grant, wanted, resource);
    deniedBy.push(...outcome.deniedBy);
    const blocked = outcome.blocked;
    const conditional = outcome.conditional;
    if (blocked) continue;
    allowedBy.push({ ref: grant.source, name: describeStatement(grant.source), conditions: grant.conditions });
    if (!conditional) unconditional = true;
  }

  for (const removed of perms.removed) {
    if (holdsAction(bitsOf(removed.actions), wanted)) {
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
