/**
 * How privileged a permission set is: administrator-equivalent (the one admin threshold), and
 * whether a target holds anything an attacker lacks.
 */
import { actionCount, bitsOf, difference, unionBits } from "./action-bits";
import { allowedActionBits } from "./permission-queries";
import type { EffectivePermissions, Grant } from "../types";
import { totalActionCount } from "./action-data";

/** Share of all known actions an unrestricted grant set must cover to count as administrator. */
export const ADMIN_COVERAGE = 0.9;

/** A grant that applies to every resource, unconditionally, with no boundary/SCP confinement. */
export function isUnrestrictedGrant(grant: Grant): boolean {
  if (grant.conditions) return false;
  const everyResource = grant.notResources ? grant.notResources.length === 0 : grant.resources.includes("*");
  if (!everyResource) return false;
  return !grant.limits.some((l) => l.kind !== "deny-resources" && l.kind !== "deny-conditional" && !l.avoidable);
}

/** Actions allowed on every resource without conditions. */
export function unrestrictedActions(perms: EffectivePermissions): ReadonlySet<string> {
  let all = unrestrictedSets.get(perms.grants);
  if (!all) {
    all = new Set<string>();
    for (const g of perms.grants) if (isUnrestrictedGrant(g)) for (const a of g.actions) all.add(a);
    unrestrictedSets.set(perms.grants, all);
  }
  return all;
}

// Keyed by the grants array, which effectivePermissions shares between equal permission sets.
const unrestrictedSets = new WeakMap<readonly Grant[], Set<string>>();
const adminFlags = new WeakMap<readonly Grant[], boolean>();
const comparisons = new WeakMap<readonly Grant[], WeakMap<readonly Grant[], { extraCount: number; extraSample: string[] }>>();

/** The admin threshold: do this many unrestricted actions make an administrator? */
export function reachesAdminCoverage(unrestrictedActionCount: number): boolean {
  const total = totalActionCount();
  return total > 0 && unrestrictedActionCount >= ADMIN_COVERAGE * total;
}

/** Administrator-equivalent: `*` on `*`, or a NotAction allow that leaves nearly every action. */
export function isAdminEquivalent(perms: EffectivePermissions): boolean {
  let admin = adminFlags.get(perms.grants);
  if (admin === undefined) {
    const unrestricted = unionBits(perms.grants.filter(isUnrestrictedGrant).map((g) => bitsOf(g.actions)));
    admin = reachesAdminCoverage(actionCount(unrestricted));
    adminFlags.set(perms.grants, admin);
  }
  return admin;
}

export interface PrivilegeComparison {
  /** The target holds something the attacker lacks. */
  worth: boolean;
  admin: boolean;
  /** How many actions the target holds that the attacker lacks. */
  extraCount: number;
  /** The first five of them (sorted, lower-cased). */
  extraSample: string[];
  reason: string;
}

const SAMPLE_SIZE = 5;

/** What the target holds beyond the attacker, counted once per pair of permission sets. */
function extraActions(attacker: EffectivePermissions, target: EffectivePermissions): { extraCount: number; extraSample: string[] } {
  let byTarget = comparisons.get(attacker.grants);
  if (!byTarget) comparisons.set(attacker.grants, (byTarget = new WeakMap()));
  let found = byTarget.get(target.grants);
  if (!found) {
    const extra = difference(allowedActionBits(target), allowedActionBits(attacker), SAMPLE_SIZE);
    byTarget.set(target.grants, (found = { extraCount: extra.count, extraSample: extra.first }));
  }
  return found;
}

/** Is `target` worth escalating into from `attacker`? */
export function comparePrivileges(attacker: EffectivePermissions, target: EffectivePermissions, targetName: string): PrivilegeComparison {
  const admin = isAdminEquivalent(target);
  const { extraCount, extraSample } = extraActions(attacker, target);
  if (admin && !isAdminEquivalent(attacker)) {
    return { worth: true, admin, extraCount, extraSample, reason: `${targetName} is administrator-equivalent` };
  }
  if (extraCount === 0) {
    return { worth: false, admin, extraCount, extraSample, reason: `${targetName} holds nothing the function lacks` };
  }
  return {
    worth: true,
    admin,
    extraCount,
    extraSample,
    reason: `${targetName} holds ${extraCount} action(s) the function lacks (${extraSample.join(", ")}${extraCount > SAMPLE_SIZE ? ", …" : ""})`,
  };
}
