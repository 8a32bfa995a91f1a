/**
 * The context every escalation checker works with: the escalating role and its permissions, how
 * it reaches a resource (a step naming the statement that allows it), and the changed permission
 * sets a method would produce (a policy written, a boundary removed), judged once per analysis.
 */
import { arnPatternMatches, parseArn } from "../policy/arn-match";
import type { ConditionContext } from "../policy/conditions";
import { comparePrivileges, type PrivilegeComparison } from "../policy/privilege";
import { trustsPrincipal, trustsService } from "../graph/trust";
import { effectivePermissions } from "../policy/effective-permissions";
import { decide, grantsFor } from "../policy/permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import type { EffectivePermissions, EscalationPath, Grant, StatementRef } from "../types";
import type { Group, LambdaFunction, PolicyDocument, Role, User } from "@/lib/snapshot/types";
import type { EscalationKind, EscalationMethod } from "./methods";

/** What the path lands on: an administrator, something more privileged, or a target we could not rate. */
export type EscalationImpact = "admin" | "more-privileged" | "unknown";

export type Step = EscalationPath["steps"][number] & { conditional: boolean };

export interface Candidate {
  target: string | null;
  targetReason: string;
  steps: Step[];
  impact: EscalationImpact;
  /** Extra actions gained, for ranking. */
  gain: number;
  conditional: boolean;
}

/** One method family's checker: which targets it tries, and which of a method's `requires` groups are judged per target. */
export interface EscalationChecker {
  kind: EscalationKind;
  /**
   * True when the candidates depend on the escalating function itself (`ctx.actor.fn`), not only
   * on its role: the other families' candidates are worked out once per role (see `RoleMemo`).
   */
  readsFunction?: boolean;
  /** What the family checks a target for: listed by `saltzer rules --escalation`. */
  targetTest: string;
  /** How many leading `requires` groups are checked against each target (the rest on any resource). */
  targetGroups: number;
  /** Every usable target of the method, given one step per remaining `requires` group. */
  candidates(ctx: EscalationContext, method: EscalationMethod, prerequisites: Step[]): Candidate[];
}

export function byValue(a: Candidate, b: Candidate): number {
  return impactRank(a.impact) - impactRank(b.impact) || Number(a.conditional) - Number(b.conditional) || b.gain - a.gain;
}

export function impactRank(impact: EscalationImpact): number {
  return impact === "admin" ? 0 : impact === "more-privileged" ? 1 : 2;
}

/** Roles whose trust policy names a principal ARN, per snapshot: built once. */
const namingIndexes = new WeakMap<SnapshotIndex, Map<string, Role[]>>();
export function rolesNaming(index: SnapshotIndex, principalArn: string): Role[] {
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

/** A role the escalating role can pass to a service, worth more than its own. */
export interface PassableRole {
  role: Role;
  step: Step;
  cmp: PrivilegeComparison;
  trustConditional: boolean;
}

/**
 * What the escalation contexts of one role's functions share: every answer that depends on the
 * role, its account and its permissions but not on the function (checkers do not read the
 * region). A context works its answers out in the same order whichever function it starts from,
 * so the first function's answers are the others' too.
 */
export interface RoleMemo {
  prerequisites: Map<EscalationMethod, Step[] | null>;
  /** Candidates of the methods whose checker does not read the function, in the checker's order. */
  candidates: Map<EscalationMethod, Candidate[]>;
  passable: Map<string, PassableRole[]>;
}

export function newRoleMemo(): RoleMemo {
  return { prerequisites: new Map(), candidates: new Map(), passable: new Map() };
}

/** Who escalates: the function's role, or a role reached mid-chain (no function of its own). */
export interface Actor {
  roleArn: string;
  accountId: string;
  region: string;
  fn: LambdaFunction | null;
  perms: EffectivePermissions;
}

/** What a checker works with: the escalating role (the function's, or one reached mid-chain), its permissions and the snapshot. */
export class EscalationContext {
  readonly accountId: string;
  readonly region: string;
  readonly role: Role | null;
  readonly comparisons = new Map<string, PrivilegeComparison>();
  /** The request context of this role's own calls, for trust policies. */
  readonly callContext: ConditionContext;

  constructor(
    readonly index: SnapshotIndex,
    readonly actor: Actor,
    readonly permsOf: (roleArn: string) => EffectivePermissions,
    /** Answers shared with the contexts of the role's other functions (a fresh one by default). */
    readonly memo: RoleMemo = newRoleMemo(),
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

  get perms(): EffectivePermissions {
    return this.actor.perms;
  }

  /** The role's own ARN (the function's role at the start of a chain). */
  get roleArn(): string {
    return this.actor.roleArn;
  }

  /** The action on this exact resource, with the statement that grants it. */
  step(action: string, resource: string, perms = this.perms): Step | null {
    const decision = decide(perms, action, resource);
    if (decision.decision !== "allowed") return null;
    const chosen = decision.allowedBy.find((a) => a.conditions === null) ?? decision.allowedBy[0];
    return { action, resource, grantedBy: chosen.ref, conditional: decision.conditional };
  }

  firstStep(actions: string[], resource: string): Step | null {
    return actions.map((a) => this.step(a, resource)).find((s) => s !== null) ?? null;
  }

  /**
   * The action on some resource the attacker may choose (a new function name, a new stack):
   * probes concrete ARNs made from the grant's own resources and from any boundary/SCP limits.
   */
  stepOnSomeResource(action: string): Step | null {
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
  passRoleStep(roleArn: string, service: string): Step | null {
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

  compare(roleArn: string, name: string): PrivilegeComparison {
    let cached = this.comparisons.get(roleArn);
    if (!cached) {
      cached = comparePrivileges(this.perms, this.permsOf(roleArn), name);
      this.comparisons.set(roleArn, cached);
    }
    return cached;
  }

  rolesInAccount(): Role[] {
    return this.index.accountsById.get(this.accountId)?.roles ?? [];
  }

  candidate(target: string | null, targetReason: string, steps: Step[], impact: EscalationImpact, gain: number): Candidate {
    return { target, targetReason, steps, impact, gain, conditional: steps.some((s) => s.conditional) };
  }

  /** How the function assumes `role`: its trust policy must admit it, and the identity policy too unless the trust names the role itself. */
  assumeSteps(role: Role): { steps: Step[]; how: string } | null {
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
  passableRoles(service: string): readonly PassableRole[] {
    let found = this.memo.passable.get(service);
    if (!found) this.memo.passable.set(service, (found = this.findPassableRoles(service)));
    return found;
  }

  private findPassableRoles(service: string): PassableRole[] {
    const out: PassableRole[] = [];
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

  functionsInAccount(): LambdaFunction[] {
    return this.index.accountsById.get(this.accountId)?.functions ?? [];
  }

  users(): User[] {
    return this.index.accountsById.get(this.accountId)?.users ?? [];
  }

  credentialStep(user: User): Step | null {
    return this.firstStep(["iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile"], user.arn);
  }

  /**
   * Is taking over this user (joining `group`, when given) worth it? Judged like a role: its
   * effective permissions with its groups' policies, boundary and SCPs against the function's.
   */
  userWorth(user: User, group: Group | null = null): { impact: EscalationImpact; reason: string; gain: number } | null {
    const index = this.index;
    const perms = userPermissions(index, user, group);
    const name = group ? `user ${user.name} in group ${group.name}` : `user ${user.name}`;
    const cmp = comparePrivileges(this.perms, perms, name);
    if (!cmp.worth) return null;
    return { impact: impactOf(cmp), reason: cmp.reason, gain: cmp.extraCount };
  }
}


export const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

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

export type RoleChange = { inline: PolicyDocument } | { policyArn: string; document: PolicyDocument } | { boundary: null };

/**
 * A role's effective permissions after the change an escalation makes: an extra inline policy,
 * a managed policy's document replaced, or its boundary removed. The SCPs still apply.
 */
export function permsWith(index: SnapshotIndex, roleArn: string, change: RoleChange): EffectivePermissions {
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
export function userPermissions(index: SnapshotIndex, user: User, group: Group | null, inline: PolicyDocument | null = null): EffectivePermissions {
  return memoPermissions(index, `user ${user.arn}|${group?.arn ?? ""}|${inline ? "allow-all" : ""}`, () => {
    const changed = inline
      ? { ...index, users: new Map(index.users).set(user.arn, { ...user, inlinePolicies: [...user.inlinePolicies, { name: "(written by the function)", document: inline }] }) }
      : index;
    return effectivePermissions(changed, user.arn, undefined, { extraGroups: group ? [group] : [] });
  });
}


export function impactOf(cmp: PrivilegeComparison): EscalationImpact {
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
