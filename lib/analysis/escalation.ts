/**
 * Privilege-escalation paths for one function: which known methods its effective permissions
 * make usable, against which concrete targets in the snapshot, and why each target is worth it.
 *
 * Works on merged, effective grants (a path split across two policies counts; boundaries, SCPs and
 * denies are already applied), checks resources per candidate target with `decide`, checks trust
 * policies, and only reports a target that holds more than the function already has.
 */
import { arnPatternMatches, parseArn } from "./arn-match";
import { ESCALATION_METHODS, type EscalationKind, type EscalationMethod } from "./escalation-methods";
import type { ConditionContext } from "./conditions";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policies";
import { comparePrivileges, isAdminEquivalent, trustsPrincipal, trustsService, type PrivilegeComparison } from "./escalation-targets";
import { effectivePermissions } from "./effective-permissions";
import { decide, describeStatement, grantsFor } from "./permission-queries";
import type { SnapshotIndex } from "./snapshot-index";
import type { EffectivePermissions, EscalationPath, Grant, StatementRef } from "./types";
import type { Group, LambdaFunction, PolicyDocument, Role, User } from "@/lib/snapshot/types";

export interface EscalationInput {
  index: SnapshotIndex;
  fn: LambdaFunction;
  /** The function role's effective permissions. */
  perms: EffectivePermissions;
  /** Effective permissions of another role in the snapshot. */
  permsOf: (roleArn: string) => EffectivePermissions;
}

/** What the path lands on: an administrator, something more privileged, or a target we could not rate. */
export type EscalationImpact = "admin" | "more-privileged" | "unknown";

/** An escalation path plus how much it gains (for severity); still a plain `EscalationPath`. */
export type RankedEscalationPath = EscalationPath & {
  impact: EscalationImpact;
  /** Further usable targets beyond the one reported. */
  otherTargets: number;
};

type Step = EscalationPath["steps"][number] & { conditional: boolean };

interface Candidate {
  target: string | null;
  targetReason: string;
  steps: Step[];
  impact: EscalationImpact;
  /** Extra actions gained, for ranking. */
  gain: number;
  conditional: boolean;
}

export function findEscalationPaths(input: EscalationInput): RankedEscalationPath[] {
  const paths: RankedEscalationPath[] = [];
  if (isAdminEquivalent(input.perms)) return paths; // nothing left to escalate to
  const actor: Actor = { roleArn: input.fn.roleArn, accountId: input.fn.accountId, region: input.fn.region, fn: input.fn, perms: input.perms };
  const ctx = new EscalationContext(input.index, actor, input.permsOf);
  for (const method of ESCALATION_METHODS) {
    const candidates = ctx.methodCandidates(method);
    if (candidates.length === 0) continue;
    candidates.sort(byValue);
    const best = candidates[0];
    paths.push({
      method: method.id,
      title: method.title,
      steps: best.steps.map(({ action, resource, grantedBy }) => ({ action, resource, grantedBy })),
      target: best.target,
      targetReason: best.targetReason,
      conditional: best.conditional,
      impact: best.impact,
      otherTargets: candidates.length - 1,
    });
  }
  const chain = findChain(input, ctx, paths);
  if (chain) paths.push(chain);
  return paths;
}

function byValue(a: Candidate, b: Candidate): number {
  return impactRank(a.impact) - impactRank(b.impact) || Number(a.conditional) - Number(b.conditional) || b.gain - a.gain;
}

/** Families whose target is a role the attacker then holds: the hops a chain is made of. */
const HOP_KINDS = new Set<EscalationKind>(["assume-role", "other-role-policy", "other-managed-policy", "role-trust", "role-trust-and-policy", "pass-role", "function-role-swap", "update-function"]);

/** Longest chain followed; PMapper-style closure, bounded so a pathological account stays fast. */
const MAX_CHAIN_HOPS = 6;

/** One hop of a chain: from a role to the role whose credentials the method yields. */
interface Hop {
  from: string;
  to: string;
  method: string;
  candidate: Candidate;
}

/**
 * Chains of any length (A → B → C): a breadth-first walk over "this role can become that role"
 * hops, with a visited set, each intermediate role judged by its own effective permissions.
 * Reports the best target reached in two or more hops that no single hop reaches: the whole
 * chain, each hop with its reason.
 */
function findChain(input: EscalationInput, start: EscalationContext, direct: RankedEscalationPath[]): RankedEscalationPath | null {
  const directTargets = new Set(direct.flatMap((p) => (p.target ? [p.target, landingRole(input.index, p.target) ?? ""] : [])));
  const directAdmin = direct.some((p) => p.impact === "admin" && !p.conditional);
  if (directAdmin) return null;
  const visited = new Set<string>([input.fn.roleArn]);
  const parent = new Map<string, Hop>();
  let frontier: { roleArn: string; ctx: EscalationContext }[] = [];
  for (const hop of start.hops()) {
    if (visited.has(hop.to)) continue;
    visited.add(hop.to);
    parent.set(hop.to, hop);
    frontier.push({ roleArn: hop.to, ctx: contextForRole(input, hop.to) });
  }
  const reached: { roleArn: string; depth: number }[] = [];
  for (let depth = 2; depth <= MAX_CHAIN_HOPS && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { roleArn, ctx } of frontier) {
      if (isAdminEquivalent(ctx.actor.perms)) continue; // an admin hop is a target already
      for (const hop of ctx.hops()) {
        if (visited.has(hop.to)) continue;
        visited.add(hop.to);
        parent.set(hop.to, hop);
        reached.push({ roleArn: hop.to, depth });
        next.push({ roleArn: hop.to, ctx: contextForRole(input, hop.to) });
      }
    }
    frontier = next;
  }
  const ranked = reached
    .filter((r) => !directTargets.has(r.roleArn))
    .map((r) => {
      const hops: Hop[] = [];
      for (let at = r.roleArn; parent.has(at) && at !== input.fn.roleArn; at = parent.get(at)!.from) hops.unshift(parent.get(at)!);
      const last = hops[hops.length - 1].candidate;
      const cmp = comparePrivileges(input.perms, input.permsOf(r.roleArn), `role ${r.roleArn.split("/").pop()}`);
      const impact: EscalationImpact = last.impact === "admin" || cmp.admin ? "admin" : cmp.worth ? "more-privileged" : "unknown";
      return { ...r, hops, cmp, impact, conditional: hops.some((h) => h.candidate.conditional) };
    })
    .filter((r) => r.impact !== "unknown");
  if (ranked.length === 0) return null;
  ranked.sort((a, b) => impactRank(a.impact) - impactRank(b.impact) || Number(a.conditional) - Number(b.conditional) || a.depth - b.depth || b.cmp.extraCount - a.cmp.extraCount);
  const best = ranked[0];
  const hopText = best.hops.map((h, i) => `hop ${i + 1}: ${shortRole(h.from)} → ${shortRole(h.to)} by ${h.method} (${h.candidate.targetReason})`).join("; ");
  return {
    method: CHAIN_METHOD.id,
    title: CHAIN_METHOD.title,
    steps: best.hops.flatMap((h) => h.candidate.steps.map(({ action, resource, grantedBy }) => ({ action, resource, grantedBy }))),
    target: best.roleArn,
    targetReason: `${best.impact === "admin" ? `${shortRole(best.roleArn)} is administrator-equivalent` : best.cmp.reason} after ${best.hops.length} hops — ${hopText}`,
    conditional: best.conditional,
    impact: best.impact,
    otherTargets: ranked.length - 1,
    chain: best.hops.map((h) => ({ from: h.from, to: h.to, method: h.method, reason: h.candidate.targetReason })),
  };
}

/** The chain pseudo-method: listed with the catalogue so `saltzer rules --escalation` shows it. */
export const CHAIN_METHOD = {
  id: "role-chain",
  title: "Chain of escalations through other roles",
  targetTest: "any role reached in two or more hops (each hop one of the role-yielding methods, judged with that hop's role's permissions) that holds more than the function",
} as const;

function shortRole(arn: string): string {
  return arn.split("/").pop() ?? arn;
}

/** A function target lands on its role; a role target on itself. */
function landingRole(index: SnapshotIndex, target: string): string | null {
  if (index.roles.has(target)) return target;
  return index.functions.get(target)?.roleArn ?? null;
}

/** Roles whose trust policy names a principal ARN, per snapshot: built once. */
const namingIndexes = new WeakMap<SnapshotIndex, Map<string, Role[]>>();
function rolesNaming(index: SnapshotIndex, principalArn: string): Role[] {
  let byPrincipal = namingIndexes.get(index);
  if (!byPrincipal) {
    byPrincipal = new Map();
    for (const role of index.roles.values()) {
      for (const s of role.assumeRolePolicy.Statement) {
        if (s.Effect !== "Allow" || !s.Principal || s.Principal === "*") continue;
        const aws = s.Principal.AWS;
        for (const p of aws === undefined ? [] : Array.isArray(aws) ? aws : [aws]) {
          const list = byPrincipal.get(p) ?? [];
          if (!list.includes(role)) list.push(role);
          byPrincipal.set(p, list);
        }
      }
    }
    namingIndexes.set(index, byPrincipal);
  }
  return byPrincipal.get(principalArn) ?? [];
}

/** The escalation context of a role reached mid-chain: its sessions are the attacker now. */
const roleContexts = new WeakMap<SnapshotIndex, Map<string, EscalationContext>>();
function contextForRole(input: EscalationInput, roleArn: string): EscalationContext {
  let byRole = roleContexts.get(input.index);
  if (!byRole) roleContexts.set(input.index, (byRole = new Map()));
  let ctx = byRole.get(roleArn);
  if (!ctx) {
    const accountId = parseArn(roleArn)?.account ?? input.fn.accountId;
    ctx = new EscalationContext(input.index, { roleArn, accountId, region: input.fn.region, fn: null, perms: input.permsOf(roleArn) }, input.permsOf);
    byRole.set(roleArn, ctx);
  }
  return ctx;
}

function impactRank(impact: EscalationImpact): number {
  return impact === "admin" ? 0 : impact === "more-privileged" ? 1 : 2;
}

/** Who escalates: the function's role, or a role reached mid-chain (no function of its own). */
interface Actor {
  roleArn: string;
  accountId: string;
  region: string;
  fn: LambdaFunction | null;
  perms: EffectivePermissions;
}

class EscalationContext {
  private readonly accountId: string;
  private readonly region: string;
  private readonly role: Role | null;
  private readonly comparisons = new Map<string, PrivilegeComparison>();
  /** The request context of this role's own calls, for trust policies. */
  private readonly callContext: ConditionContext;
  private hopCache: Hop[] | null = null;

  constructor(
    private readonly index: SnapshotIndex,
    readonly actor: Actor,
    private readonly permsOf: (roleArn: string) => EffectivePermissions,
  ) {
    this.accountId = actor.accountId;
    this.region = actor.region;
    this.role = index.roles.get(actor.roleArn) ?? null;
    this.callContext = {
      principalArn: actor.roleArn,
      principalAccount: actor.accountId,
      principalOrgId: index.organizationId,
      principalTags: this.role?.tags,
      roleSessionOwnCall: true,
    };
  }

  private get perms(): EffectivePermissions {
    return this.actor.perms;
  }

  /** The role's own ARN (the function's role at the start of a chain). */
  private get roleArn(): string {
    return this.actor.roleArn;
  }

  /** Every usable candidate of a method, or none when a required action is missing. */
  methodCandidates(method: EscalationMethod): Candidate[] {
    const prerequisites = this.prerequisites(method);
    if (!prerequisites) return [];
    return this.candidates(method, prerequisites);
  }

  /** Every role this role can become in one step, with the candidate that does it (all targets, not only the best). */
  hops(): Hop[] {
    if (this.hopCache) return this.hopCache;
    const best = new Map<string, Hop>();
    for (const method of ESCALATION_METHODS) {
      if (!HOP_KINDS.has(method.kind) || method.needsExisting) continue;
      for (const candidate of this.methodCandidates(method)) {
        const to = candidate.target ? landingRole(this.index, candidate.target) : null;
        if (!to || to === this.roleArn) continue;
        const known = best.get(to);
        if (!known || byValue(candidate, known.candidate) < 0) best.set(to, { from: this.roleArn, to, method: method.id, candidate });
      }
    }
    return (this.hopCache = [...best.values()]);
  }

  /** For each `requires` group, one usable step on some resource; null when a group has none. */
  prerequisites(method: EscalationMethod): Step[] | null {
    // Target-bound methods check their first groups against each target instead.
    const targetGroups = method.kind === "pass-role" || method.kind === "existing-resource" ? 0 : method.kind === "role-trust-and-policy" ? 2 : 1;
    const steps: Step[] = [];
    for (const group of method.requires.slice(targetGroups)) {
      const step = group.map((a) => this.stepOnSomeResource(a)).find((s) => s !== null);
      if (!step) return null;
      steps.push(step);
    }
    // sts:AssumeRole is not needed when a same-account trust policy names the role itself.
    if (method.kind === "assume-role") return steps;
    for (const group of method.requires.slice(0, targetGroups)) if (!group.some((a) => grantsFor(this.perms, a).length > 0)) return null;
    return steps;
  }

  candidates(method: EscalationMethod, prerequisites: Step[]): Candidate[] {
    switch (method.kind) {
      case "own-role-policy":
        return this.ownRolePolicy(method);
      case "other-role-policy":
        return this.otherRolePolicy(method);
      case "other-managed-policy":
        return this.otherManagedPolicy(method);
      case "role-trust-and-policy":
        return this.roleTrustAndPolicy(method);
      case "own-managed-policy":
        return this.ownManagedPolicy(method);
      case "own-boundary":
        return this.ownBoundary(method);
      case "role-trust":
        return this.roleTrust(method);
      case "assume-role":
        return this.assumeRole();
      case "pass-role":
        return this.passRole(method, prerequisites);
      case "function-role-swap":
        return this.functionRoleSwap(method);
      case "update-function":
        return this.updateFunction(method);
      case "user-credentials":
        return this.userCredentials(method);
      case "user-policy":
        return this.userPolicy(method);
      case "group":
        return this.group(method);
      case "existing-resource":
        return this.existingResource(method, prerequisites);
    }
  }

  // ---- steps -------------------------------------------------------------------------------

  /** The action on this exact resource, with the statement that grants it. */
  private step(action: string, resource: string, perms = this.perms): Step | null {
    const decision = decide(perms, action, resource);
    if (decision.decision !== "allowed") return null;
    const chosen = decision.allowedBy.find((a) => a.conditions === null) ?? decision.allowedBy[0];
    return { action, resource, grantedBy: chosen.ref, conditional: decision.conditional };
  }

  private firstStep(actions: string[], resource: string): Step | null {
    return actions.map((a) => this.step(a, resource)).find((s) => s !== null) ?? null;
  }

  /**
   * The action on some resource the attacker may choose (a new function name, a new stack):
   * probes concrete ARNs made from the grant's own resources and from any boundary/SCP limits.
   */
  private stepOnSomeResource(action: string): Step | null {
    for (const grant of grantsFor(this.perms, action)) {
      const probes = [
        ...(grant.notResources ? ["x"] : grant.resources),
        ...grant.limits.flatMap((l) => (l.kind === "boundary-resources" || l.kind === "scp-resources" ? l.resources : [])),
      ].map(concreteArn);
      for (const probe of probes) {
        const step = this.step(action, probe);
        if (step) return { ...step, resource: resourceShown(grant, probe) };
      }
    }
    return null;
  }

  /**
   * iam:PassRole on this role to this service. `iam:PassedToService` conditions are evaluated
   * here (they are the one condition the method itself settles); other conditions stay conditional.
   */
  private passRoleStep(roleArn: string, service: string): Step | null {
    let best: Step | null = null;
    for (const grant of grantsFor(this.perms, "iam:passrole")) {
      const verdict = passedToServiceVerdict(grant, service);
      if (verdict === "contradicted") continue;
      const single: EffectivePermissions = { ...this.perms, grants: [{ ...grant, conditions: null }], removed: [] };
      const decision = decide(single, "iam:passrole", roleArn);
      if (decision.decision !== "allowed") continue;
      const step: Step = {
        action: "iam:passrole",
        resource: roleArn,
        grantedBy: grant.source,
        conditional: decision.conditional || verdict === "other",
      };
      if (!step.conditional) return step;
      best ??= step;
    }
    return best;
  }

  // ---- targets -----------------------------------------------------------------------------

  private compare(roleArn: string, name: string): PrivilegeComparison {
    let cached = this.comparisons.get(roleArn);
    if (!cached) {
      cached = comparePrivileges(this.perms, this.permsOf(roleArn), name);
      this.comparisons.set(roleArn, cached);
    }
    return cached;
  }

  private rolesInAccount(): Role[] {
    return this.index.accountsById.get(this.accountId)?.roles ?? [];
  }

  private candidate(target: string | null, targetReason: string, steps: Step[], impact: EscalationImpact, gain: number): Candidate {
    return { target, targetReason, steps, impact, gain, conditional: steps.some((s) => s.conditional) };
  }

  private ownRolePolicy(method: EscalationMethod): Candidate[] {
    if (!this.role) return [];
    const step = this.firstStep(method.requires[0], this.roleArn);
    if (!step) return [];
    // What a policy it writes could give: its boundary and the SCPs still apply.
    const after = permsWith(this.index, this.roleArn, { inline: ALLOW_ALL });
    const cmp = comparePrivileges(this.perms, after, "its own role with a policy allowing everything");
    if (!cmp.worth) return [];
    return [this.candidate(this.roleArn, `${cmp.reason}; the function can write its own role's policies`, [step], impactOf(cmp), cmp.extraCount)];
  }

  /** Write the policies of another role the function can assume, then assume it. */
  private otherRolePolicy(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.roleArn) continue;
      const modify = this.firstStep(method.requires[0], role.arn);
      if (!modify) continue;
      const assume = this.assumeSteps(role);
      if (!assume) continue;
      const after = permsWith(this.index, role.arn, { inline: ALLOW_ALL });
      const cmp = comparePrivileges(this.perms, after, `role ${role.name} with a policy allowing everything`);
      if (!cmp.worth) continue;
      out.push(this.candidate(role.arn, `${cmp.reason}; the function can write its policies, and its trust policy ${assume.how}`, [modify, ...assume.steps], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  /** Rewrite a customer-managed policy attached to another role the function can assume, then assume it. */
  private otherManagedPolicy(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.roleArn) continue;
      const assume = this.assumeSteps(role);
      if (!assume) continue;
      for (const policyArn of role.attachedPolicyArns) {
        if (isAwsManagedPolicyArn(policyArn)) continue; // AWS-managed policies cannot be edited
        const modify = this.firstStep(method.requires[0], policyArn);
        if (!modify) continue;
        const after = permsWith(this.index, role.arn, { policyArn, document: ALLOW_ALL });
        const cmp = comparePrivileges(this.perms, after, `role ${role.name} with ${policyArn} rewritten to allow everything`);
        if (!cmp.worth) continue;
        out.push(this.candidate(role.arn, `${cmp.reason}; ${policyArn} is attached to it, and its trust policy ${assume.how}`, [modify, ...assume.steps], impactOf(cmp), cmp.extraCount));
        break;
      }
    }
    return out;
  }

  /**
   * Rewrite a role's trust policy to name the function's role, then write it a policy allowing
   * everything: no need for the role to be strong, or to trust the function, beforehand.
   */
  private roleTrustAndPolicy(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.roleArn) continue;
      const trust = this.firstStep(method.requires[0], role.arn);
      if (!trust) continue;
      let write = this.firstStep(method.requires[1].filter((a) => a !== "iam:createpolicyversion"), role.arn);
      let change: RoleChange = { inline: ALLOW_ALL };
      if (!write && method.requires[1].includes("iam:createpolicyversion")) {
        for (const policyArn of role.attachedPolicyArns.filter((a) => !isAwsManagedPolicyArn(a))) {
          write = this.firstStep(["iam:createpolicyversion"], policyArn);
          if (write) {
            change = { policyArn, document: ALLOW_ALL };
            break;
          }
        }
      }
      if (!write) continue;
      const cmp = comparePrivileges(this.perms, permsWith(this.index, role.arn, change), `role ${role.name} with a policy allowing everything`);
      if (!cmp.worth) continue;
      // Same account: once the trust names the function's role, no identity permission is needed to assume it.
      out.push(this.candidate(role.arn, `${cmp.reason}; the function can rewrite its trust policy to name its own role and write its policies`, [trust, write], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private ownManagedPolicy(method: EscalationMethod): Candidate[] {
    if (!this.role) return [];
    const policies = [...this.role.attachedPolicyArns, ...(this.role.permissionsBoundaryArn ? [this.role.permissionsBoundaryArn] : [])];
    const out: Candidate[] = [];
    for (const policyArn of policies) {
      if (isAwsManagedPolicyArn(policyArn)) continue; // AWS-managed policies cannot be edited
      const step = this.firstStep(method.requires[0], policyArn);
      if (!step) continue;
      const isBoundary = policyArn === this.role.permissionsBoundaryArn;
      if (method.id === "iam-set-default-policy-version") {
        out.push(...this.switchVersion(policyArn, isBoundary, step));
        continue;
      }
      const after = permsWith(this.index, this.roleArn, { policyArn, document: ALLOW_ALL });
      const cmp = comparePrivileges(this.perms, after, `its own role with ${policyArn} rewritten to allow everything`);
      if (!cmp.worth) continue;
      const reason = `${cmp.reason}; ${policyArn} is ${isBoundary ? "the permission boundary of" : "attached to"} the function's own role and the function can make a new default version of it`;
      out.push(this.candidate(policyArn, reason, [step], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  /**
   * iam:SetDefaultPolicyVersion only switches between the versions the policy already has: each
   * stored version is judged by the role's effective permissions with it as the default
   * (boundary and SCPs still apply). A policy with no other version offers no path.
   */
  private switchVersion(policyArn: string, isBoundary: boolean, step: Step): Candidate[] {
    const index = this.index;
    const policy = index.managedPolicies.get(policyArn);
    if (!policy) {
      const reason = `${policyArn} is attached to the function's own role, but its versions could not be read: another version may grant more`;
      return [this.candidate(policyArn, reason, [{ ...step, conditional: true }], "unknown", 0)];
    }
    const out: Candidate[] = [];
    for (const version of policy.otherVersions) {
      const after = permsWith(index, this.roleArn, { policyArn, document: version.document });
      const cmp = comparePrivileges(this.perms, after, `the role with version ${version.versionId ?? "(unnamed)"} of ${policy.name} as default`);
      if (!cmp.worth) continue;
      const reason = `${cmp.reason}; iam:SetDefaultPolicyVersion switches the ${isBoundary ? "permission boundary" : "policy"} back to that stored version`;
      out.push(this.candidate(policyArn, reason, [step], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private ownBoundary(method: EscalationMethod): Candidate[] {
    const boundary = this.role?.permissionsBoundaryArn;
    if (!boundary) return [];
    const step = this.firstStep(method.requires[0], this.roleArn);
    if (!step) return [];
    // Without the boundary the role's policies apply in full, SCPs and denies still in force.
    const cmp = comparePrivileges(this.perms, permsWith(this.index, this.roleArn, { boundary: null }), `its own role without permission boundary ${boundary}`);
    if (!cmp.worth) return [];
    return [this.candidate(this.roleArn, `${cmp.reason}; the function can remove or replace its boundary`, [step], impactOf(cmp), cmp.extraCount)];
  }

  private roleTrust(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.roleArn) continue;
      const step = this.firstStep(method.requires[0], role.arn);
      if (!step) continue;
      const cmp = this.compare(role.arn, `role ${role.name}`);
      if (!cmp.worth) continue;
      // Same account: once the trust policy names the function's role, no identity permission is needed to assume it.
      out.push(this.candidate(role.arn, `${cmp.reason}; the function can rewrite its trust policy`, [step], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private assumeRole(): Candidate[] {
    const out: Candidate[] = [];
    // Without an sts:AssumeRole grant only a same-account trust naming the role itself admits it.
    const candidates = grantsFor(this.perms, "sts:assumerole").length > 0 ? this.index.roles.values() : rolesNaming(this.index, this.roleArn);
    for (const role of candidates) {
      if (role.arn === this.roleArn) continue;
      const assume = this.assumeSteps(role);
      if (!assume) continue;
      const cmp = this.compare(role.arn, `role ${role.name}`);
      if (!cmp.worth) continue;
      out.push(this.candidate(role.arn, `${cmp.reason}; its trust policy ${assume.how}`, assume.steps, impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  /** How the function assumes `role`: its trust policy must admit it, and the identity policy too unless the trust names the role itself. */
  private assumeSteps(role: Role): { steps: Step[]; how: string } | null {
    const trust = trustsPrincipal(role, this.roleArn, this.accountId, this.callContext);
    if (!trust) return null;
    const roleAccount = parseArn(role.arn)?.account ?? null;
    const identity = this.step("sts:assumerole", role.arn);
    // Same-account trust that names the role itself needs no identity permission; anything else does.
    const needsIdentity = trust.viaAccount || roleAccount !== this.accountId;
    if (needsIdentity && !identity) return null;
    const trustRef: StatementRef = {
      kind: "trust-policy",
      policyName: role.name,
      policyArn: role.arn,
      statementIndex: trust.statementIndex,
      sid: trust.sid,
    };
    const steps: Step[] = identity
      ? [{ ...identity, conditional: identity.conditional || trust.conditional }]
      : [{ action: "sts:assumerole", resource: role.arn, grantedBy: trustRef, conditional: trust.conditional }];
    return { steps, how: trust.viaAccount ? "trusts the function's account" : "trusts the function's role" };
  }

  /** Roles in the account that trust the service and can be passed to it, worth more than the function's. */
  private passableRoles(service: string): { role: Role; step: Step; cmp: PrivilegeComparison; trustConditional: boolean }[] {
    const out: { role: Role; step: Step; cmp: PrivilegeComparison; trustConditional: boolean }[] = [];
    for (const role of this.rolesInAccount()) {
      const trust = trustsService(role, service, this.accountId);
      if (!trust) continue;
      const step = this.passRoleStep(role.arn, service);
      if (!step) continue;
      const cmp = this.compare(role.arn, `role ${role.name}`);
      if (!cmp.worth) continue;
      out.push({ role, step, cmp, trustConditional: trust.conditional });
    }
    return out;
  }

  private passRole(method: EscalationMethod, prerequisites: Step[]): Candidate[] {
    const service = method.passedToService!;
    const out: Candidate[] = [];
    for (const { role, step, cmp, trustConditional } of this.passableRoles(service)) {
      const steps = [{ ...step, conditional: step.conditional || trustConditional }, ...prerequisites];
      let reason = `${cmp.reason}; it trusts ${service}`;
      if (service === "ec2.amazonaws.com") {
        const profile = this.instanceProfileSteps(role);
        if (!profile) continue;
        steps.push(...profile.steps);
        reason += `; ${profile.how}`;
        if (profile.how.startsWith("possible")) steps[0] = { ...steps[0], conditional: true };
      }
      if (method.needsExisting) {
        // The path also needs an existing resource the snapshot does not hold: possible, not certain.
        steps[steps.length - 1] = { ...steps[steps.length - 1], conditional: true };
        reason += `; possible — needs an existing ${method.needsExisting}; not collected`;
      }
      out.push(this.candidate(role.arn, reason, steps, impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  /**
   * EC2 runs with a role only through an instance profile: one already holding the role, or one
   * the attacker makes (iam:CreateInstanceProfile + iam:AddRoleToInstanceProfile).
   */
  private instanceProfileSteps(role: Role): { steps: Step[]; how: string } | null {
    if (role.instanceProfileArns && role.instanceProfileArns.length > 0) {
      return { steps: [], how: `instance profile ${role.instanceProfileArns[0].split("/").pop()} already holds it` };
    }
    const create = this.stepOnSomeResource("iam:createinstanceprofile");
    const add = create ? this.stepOnSomeResource("iam:addroletoinstanceprofile") : null;
    if (create && add) return { steps: [create, add], how: "the function can make an instance profile holding it" };
    if (role.instanceProfileArns === undefined) {
      // Instance profiles were not collected: an existing one may hold the role.
      return { steps: [], how: "possible — needs an existing instance profile holding it; not collected (iam:ListInstanceProfilesForRole)" };
    }
    return null;
  }

  private functionsInAccount(): LambdaFunction[] {
    return this.index.accountsById.get(this.accountId)?.functions ?? [];
  }

  private functionRoleSwap(method: EscalationMethod): Candidate[] {
    const roles = this.passableRoles(method.passedToService!);
    if (roles.length === 0) return [];
    // Prefer the function itself: the attacker already runs code there.
    const own = this.actor.fn;
    const functions = [...(own ? [own] : []), ...this.functionsInAccount().filter((f) => f.arn !== own?.arn)];
    for (const fn of functions) {
      const update = this.firstStep(method.requires[0], fn.arn);
      if (!update) continue;
      return roles.map(({ role, step, cmp, trustConditional }) =>
        this.candidate(
          role.arn,
          `${cmp.reason}; it trusts lambda.amazonaws.com and can be set as the role of ${fn.arn === own?.arn ? "this function" : `function ${fn.name}`}`,
          [update, { ...step, conditional: step.conditional || trustConditional }],
          impactOf(cmp),
          cmp.extraCount,
        ),
      );
    }
    return [];
  }

  private updateFunction(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    const layer = method.id === "lambda-update-function-configuration-layer";
    for (const fn of this.functionsInAccount()) {
      if (fn.arn === this.actor.fn?.arn || fn.roleArn === this.roleArn) continue;
      if (layer && fn.packageType === "Image") continue; // layers do not apply to container images
      const step = this.firstStep(method.requires[0], fn.arn);
      if (!step) continue;
      // A function whose role Lambda cannot assume never runs with it: new code gains nothing.
      const fnRole = this.index.roles.get(fn.roleArn);
      if (fnRole && !trustsService(fnRole, "lambda.amazonaws.com", this.accountId)) continue;
      const cmp = this.compare(fn.roleArn, `role ${fn.roleArn.split("/").pop()} of function ${fn.name}`);
      if (!cmp.worth) continue;
      const invoke = this.step("lambda:invokefunction", fn.arn);
      const triggers = (this.index.mappingsByFunction.get(fn.arn)?.length ?? 0) > 0 || fn.resourcePolicy !== null;
      const runs = invoke
        ? "the function can then invoke it"
        : triggers
          ? "its existing triggers run the new code"
          : "the new code runs on its next invocation";
      const steps = invoke ? [step, invoke] : [step];
      out.push(this.candidate(fn.arn, `${cmp.reason}; ${runs}`, steps, impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private users(): User[] {
    return this.index.accountsById.get(this.accountId)?.users ?? [];
  }

  private credentialStep(user: User): Step | null {
    return this.firstStep(["iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile"], user.arn);
  }

  /**
   * Is taking over this user (joining `group`, when given) worth it? Judged like a role: its
   * effective permissions with its groups' policies, boundary and SCPs against the function's.
   */
  private userWorth(user: User, group: Group | null = null): { impact: EscalationImpact; reason: string; gain: number } | null {
    const index = this.index;
    const perms = userPermissions(index, user, group);
    const name = group ? `user ${user.name} in group ${group.name}` : `user ${user.name}`;
    const cmp = comparePrivileges(this.perms, perms, name);
    if (!cmp.worth) return null;
    return { impact: impactOf(cmp), reason: cmp.reason, gain: cmp.extraCount };
  }

  private userCredentials(method: EscalationMethod): Candidate[] {
    const users = this.users();
    const out: Candidate[] = [];
    for (const user of users) {
      const step = this.firstStep(method.requires[0], user.arn);
      if (!step) continue;
      const worth = this.userWorth(user);
      if (!worth) continue;
      out.push(this.candidate(user.arn, worth.reason, [step], worth.impact, worth.gain));
    }
    if (users.length === 0) {
      // Users were not collected: the grant still covers every user of the account.
      const probe = `arn:aws:iam::${this.accountId}:user/any-user`;
      const step = this.firstStep(method.requires[0], probe);
      if (step) out.push(this.candidate(null, "the grant covers every IAM user of the account (users are not in the snapshot)", [{ ...step, conditional: true }], "unknown", 0));
    }
    return out;
  }

  private userPolicy(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const user of this.users()) {
      const modify = this.firstStep(method.requires[0], user.arn);
      const creds = modify ? this.credentialStep(user) : null;
      if (!modify || !creds) continue;
      // What a policy it writes could give: the user's boundary and the SCPs still apply.
      const cmp = comparePrivileges(this.perms, userPermissions(this.index, user, null, ALLOW_ALL), `user ${user.name} with a policy allowing everything`);
      if (!cmp.worth) continue;
      out.push(this.candidate(user.arn, `${cmp.reason}; the function can grant user ${user.name} any permission and then use its credentials`, [modify, creds], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private group(method: EscalationMethod): Candidate[] {
    const account = this.index.accountsById.get(this.accountId);
    const groups = account?.groups ?? [];
    const out: Candidate[] = [];
    const usable = this.users()
      .map((user) => ({ user, creds: this.credentialStep(user) }))
      .filter((u): u is { user: User; creds: Step } => u.creds !== null);
    for (const group of groups) {
      if (method.id === "iam-add-user-to-group") {
        const add = this.firstStep(method.requires[0], group.arn);
        if (!add) continue;
        // The first usable non-member the group would make stronger.
        for (const member of usable.filter((u) => !u.user.groupNames.includes(group.name))) {
          const worth = this.userWorth(member.user, group);
          if (!worth) continue;
          out.push(this.candidate(group.arn, `${worth.reason}; the function can add user ${member.user.name} to group ${group.name} and use its credentials`, [add, member.creds], worth.impact, worth.gain));
          break;
        }
      } else {
        const modify = this.firstStep(method.requires[0], group.arn);
        if (!modify) continue;
        for (const member of usable.filter((u) => u.user.groupNames.includes(group.name))) {
          // The member's boundary still applies to what the group's new policy gives.
          const cmp = comparePrivileges(this.perms, userPermissions(this.index, member.user, null, ALLOW_ALL), `user ${member.user.name} with group ${group.name} allowing everything`);
          if (!cmp.worth) continue;
          out.push(this.candidate(group.arn, `${cmp.reason}; the function can grant group ${group.name} any permission and use the credentials of its member ${member.user.name}`, [modify, member.creds], impactOf(cmp), cmp.extraCount));
          break;
        }
      }
    }
    return out;
  }

  /**
   * A resource a Lambda/IAM snapshot does not hold (an instance, a project, a notebook): the path
   * is possible, at lower confidence, and names the collection that would settle it.
   */
  private existingResource(method: EscalationMethod, prerequisites: Step[]): Candidate[] {
    const { resource, collection } = method.existing!;
    return [
      this.candidate(
        null,
        `possible — needs an existing ${resource} whose role is stronger; not collected (${collection} would settle it)`,
        prerequisites.map((s) => ({ ...s, conditional: true })),
        "unknown",
        0,
      ),
    ];
  }
}

const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * Effective permissions escalation asks about repeatedly (every function sharing a role asks the
 * same question): computed once per key per analysis.
 */
const permissionMemo = new WeakMap<SnapshotIndex, Map<string, EffectivePermissions>>();
function memoPermissions(index: SnapshotIndex, key: string, compute: () => EffectivePermissions): EffectivePermissions {
  let byKey = permissionMemo.get(index);
  if (!byKey) permissionMemo.set(index, (byKey = new Map()));
  let perms = byKey.get(key);
  if (!perms) byKey.set(key, (perms = compute()));
  return perms;
}

type RoleChange = { inline: PolicyDocument } | { policyArn: string; document: PolicyDocument } | { boundary: null };

/**
 * A role's effective permissions after the change an escalation makes: an extra inline policy,
 * a managed policy's document replaced, or its boundary removed. The SCPs still apply.
 */
function permsWith(index: SnapshotIndex, roleArn: string, change: RoleChange): EffectivePermissions {
  return memoPermissions(index, `role ${roleArn}|${JSON.stringify(change)}`, () => effectivePermissions(changedIndex(index, roleArn, change), roleArn));
}

function changedIndex(index: SnapshotIndex, roleArn: string, change: RoleChange): SnapshotIndex {
  if ("policyArn" in change) {
    // A policy the snapshot could not read becomes readable: the change writes its whole document.
    const policy = index.managedPolicies.get(change.policyArn) ?? {
      arn: change.policyArn,
      name: change.policyArn.split("/").pop() ?? change.policyArn,
      awsManaged: false,
      defaultVersionId: null,
      document: change.document,
      otherVersions: [],
    };
    return { ...index, managedPolicies: new Map(index.managedPolicies).set(change.policyArn, { ...policy, document: change.document }) };
  }
  const role = index.roles.get(roleArn)!;
  const changed =
    "inline" in change
      ? { ...role, inlinePolicies: [...role.inlinePolicies, { name: "(written by the function)", document: change.inline }] }
      : { ...role, permissionsBoundaryArn: null };
  return { ...index, roles: new Map(index.roles).set(roleArn, changed) };
}

/** A user's effective permissions, with `group` joined and `inline` added when given (its boundary and SCPs apply). */
function userPermissions(index: SnapshotIndex, user: User, group: Group | null, inline: PolicyDocument | null = null): EffectivePermissions {
  return memoPermissions(index, `user ${user.arn}|${group?.arn ?? ""}|${inline ? "allow-all" : ""}`, () => {
    const changed = inline
      ? { ...index, users: new Map(index.users).set(user.arn, { ...user, inlinePolicies: [...user.inlinePolicies, { name: "(written by the function)", document: inline }] }) }
      : index;
    return effectivePermissions(changed, user.arn, undefined, { extraGroups: group ? [group] : [] });
  });
}


function impactOf(cmp: PrivilegeComparison): EscalationImpact {
  return cmp.admin ? "admin" : "more-privileged";
}

/** A concrete ARN inside a pattern: wildcards become a placeholder name. */
function concreteArn(pattern: string): string {
  return pattern.replace(/[*?]/g, "x");
}

function resourceShown(grant: Grant, probe: string): string {
  if (grant.notResources) return `* except ${grant.notResources.join(", ")}`;
  return grant.resources.find((r) => arnPatternMatches(r, probe)) ?? probe;
}

/**
 * How a grant's `iam:PassedToService` condition treats passing to `service`:
 * satisfied (or absent), contradicted (the grant cannot be used for this service), or other
 * conditions remain that the method cannot settle.
 */
export function passedToServiceVerdict(grant: Grant, service: string): "satisfied" | "contradicted" | "other" {
  if (!grant.conditions) return "satisfied";
  let other = false;
  for (const [operator, keys] of Object.entries(grant.conditions)) {
    const base = operator.replace(/^For(Any|All)Value:/i, "").replace(/IfExists$/i, "").toLowerCase();
    for (const [key, raw] of Object.entries(keys)) {
      if (key.toLowerCase() !== "iam:passedtoservice") {
        other = true;
        continue;
      }
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).toLowerCase());
      const like = base.includes("like");
      const matches = values.some((v) => (like ? arnPatternMatches(v, service) : v === service));
      if (base === "stringequals" || base === "stringlike" || base === "stringequalsignorecase") {
        if (!matches) return "contradicted";
      } else if (base === "stringnotequals" || base === "stringnotlike" || base === "stringnotequalsignorecase") {
        if (matches) return "contradicted";
      } else {
        other = true;
      }
    }
  }
  return other ? "other" : "satisfied";
}

/** "AWS-managed policy \"X\" statement #0" for each distinct statement of a path. */
export function describePathStatements(path: EscalationPath): string[] {
  return [...new Set(path.steps.map((s) => describeStatement(s.grantedBy)))];
}
