/**
 * Privilege-escalation paths for one function: which known methods its effective permissions
 * make usable, against which concrete targets in the snapshot, and why each target is worth it.
 *
 * Works on merged, effective grants (a path split across two policies counts; boundaries, SCPs and
 * denies are already applied), checks resources per candidate target with `decide`, checks trust
 * policies, and only reports a target that holds more than the function already has.
 */
import { arnPatternMatches, parseArn } from "./arn-match";
import { ESCALATION_METHODS, type EscalationMethod } from "./escalation-methods";
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
  const ctx = new EscalationContext(input);
  for (const method of ESCALATION_METHODS) {
    const prerequisites = ctx.prerequisites(method);
    if (!prerequisites) continue;
    const candidates = ctx.candidates(method, prerequisites);
    if (candidates.length === 0) continue;
    candidates.sort(
      (a, b) => impactRank(a.impact) - impactRank(b.impact) || Number(a.conditional) - Number(b.conditional) || b.gain - a.gain,
    );
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
  return paths;
}

function impactRank(impact: EscalationImpact): number {
  return impact === "admin" ? 0 : impact === "more-privileged" ? 1 : 2;
}

class EscalationContext {
  private readonly accountId: string;
  private readonly region: string;
  private readonly role: Role | null;
  private readonly comparisons = new Map<string, PrivilegeComparison>();

  constructor(private readonly input: EscalationInput) {
    this.accountId = input.fn.accountId;
    this.region = input.fn.region;
    this.role = input.index.roles.get(input.fn.roleArn) ?? null;
  }

  private get perms(): EffectivePermissions {
    return this.input.perms;
  }

  /** For each `requires` group, one usable step on some resource; null when a group has none. */
  prerequisites(method: EscalationMethod): Step[] | null {
    // Target-bound methods check their first group against each target instead.
    const targetBound = !(method.kind === "pass-role" || method.kind === "instance-access");
    const groups = targetBound ? method.requires.slice(1) : method.requires;
    const steps: Step[] = [];
    for (const group of groups) {
      const step = group.map((a) => this.stepOnSomeResource(a)).find((s) => s !== null);
      if (!step) return null;
      steps.push(step);
    }
    if (targetBound && !method.requires[0].some((a) => grantsFor(this.perms, a).length > 0)) return null;
    return steps;
  }

  candidates(method: EscalationMethod, prerequisites: Step[]): Candidate[] {
    switch (method.kind) {
      case "own-role-policy":
        return this.ownRolePolicy(method);
      case "other-role-policy":
        return this.otherRolePolicy(method);
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
      case "instance-access":
        return this.instanceAccess(prerequisites);
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
      cached = comparePrivileges(this.perms, this.input.permsOf(roleArn), name);
      this.comparisons.set(roleArn, cached);
    }
    return cached;
  }

  private rolesInAccount(): Role[] {
    return this.input.index.accountsById.get(this.accountId)?.roles ?? [];
  }

  private candidate(target: string | null, targetReason: string, steps: Step[], impact: EscalationImpact, gain: number): Candidate {
    return { target, targetReason, steps, impact, gain, conditional: steps.some((s) => s.conditional) };
  }

  private ownRolePolicy(method: EscalationMethod): Candidate[] {
    if (!this.role) return [];
    const step = this.firstStep(method.requires[0], this.input.fn.roleArn);
    if (!step) return [];
    // What a policy it writes could give: its boundary and the SCPs still apply.
    const after = permsWith(this.input.index, this.input.fn.roleArn, { inline: ALLOW_ALL });
    const cmp = comparePrivileges(this.perms, after, "its own role with a policy allowing everything");
    if (!cmp.worth) return [];
    return [this.candidate(this.input.fn.roleArn, `${cmp.reason}; the function can write its own role's policies`, [step], impactOf(cmp), cmp.extraCount)];
  }

  /** Write the policies of another role the function can assume, then assume it. */
  private otherRolePolicy(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.input.fn.roleArn) continue;
      const modify = this.firstStep(method.requires[0], role.arn);
      if (!modify) continue;
      const assume = this.assumeSteps(role);
      if (!assume) continue;
      const after = permsWith(this.input.index, role.arn, { inline: ALLOW_ALL });
      const cmp = comparePrivileges(this.perms, after, `role ${role.name} with a policy allowing everything`);
      if (!cmp.worth) continue;
      out.push(this.candidate(role.arn, `${cmp.reason}; the function can write its policies, and its trust policy ${assume.how}`, [modify, ...assume.steps], impactOf(cmp), cmp.extraCount));
    }
    return out;
  }

  private ownManagedPolicy(method: EscalationMethod): Candidate[] {
    if (!this.role) return [];
    const policies = [...this.role.attachedPolicyArns, ...(this.role.permissionsBoundaryArn ? [this.role.permissionsBoundaryArn] : [])];
    const out: Candidate[] = [];
    for (const policyArn of policies) {
      if (policyArn.startsWith("arn:aws:iam::aws:policy/")) continue; // AWS-managed policies cannot be edited
      const step = this.firstStep(method.requires[0], policyArn);
      if (!step) continue;
      const isBoundary = policyArn === this.role.permissionsBoundaryArn;
      if (method.id === "iam-set-default-policy-version") {
        out.push(...this.switchVersion(policyArn, isBoundary, step));
        continue;
      }
      const after = permsWith(this.input.index, this.input.fn.roleArn, { policyArn, document: ALLOW_ALL });
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
    const { index, fn } = this.input;
    const policy = index.managedPolicies.get(policyArn);
    if (!policy) {
      const reason = `${policyArn} is attached to the function's own role, but its versions could not be read: another version may grant more`;
      return [this.candidate(policyArn, reason, [{ ...step, conditional: true }], "unknown", 0)];
    }
    const out: Candidate[] = [];
    for (const version of policy.otherVersions) {
      const after = permsWith(index, fn.roleArn, { policyArn, document: version.document });
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
    const step = this.firstStep(method.requires[0], this.input.fn.roleArn);
    if (!step) return [];
    // Without the boundary the role's policies apply in full, SCPs and denies still in force.
    const cmp = comparePrivileges(this.perms, permsWith(this.input.index, this.input.fn.roleArn, { boundary: null }), `its own role without permission boundary ${boundary}`);
    if (!cmp.worth) return [];
    return [this.candidate(this.input.fn.roleArn, `${cmp.reason}; the function can remove or replace its boundary`, [step], impactOf(cmp), cmp.extraCount)];
  }

  private roleTrust(method: EscalationMethod): Candidate[] {
    const out: Candidate[] = [];
    for (const role of this.rolesInAccount()) {
      if (role.arn === this.input.fn.roleArn) continue;
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
    for (const role of this.input.index.roles.values()) {
      if (role.arn === this.input.fn.roleArn) continue;
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
    const trust = trustsPrincipal(role, this.input.fn.roleArn, this.accountId);
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
    return this.passableRoles(service).map(({ role, step, cmp, trustConditional }) =>
      this.candidate(
        role.arn,
        `${cmp.reason}; it trusts ${service}`,
        [{ ...step, conditional: step.conditional || trustConditional }, ...prerequisites],
        impactOf(cmp),
        cmp.extraCount,
      ),
    );
  }

  private functionsInAccount(): LambdaFunction[] {
    return this.input.index.accountsById.get(this.accountId)?.functions ?? [];
  }

  private functionRoleSwap(method: EscalationMethod): Candidate[] {
    const roles = this.passableRoles(method.passedToService!);
    if (roles.length === 0) return [];
    // Prefer the function itself: the attacker already runs code there.
    const functions = [this.input.fn, ...this.functionsInAccount().filter((f) => f.arn !== this.input.fn.arn)];
    for (const fn of functions) {
      const update = this.firstStep(method.requires[0], fn.arn);
      if (!update) continue;
      return roles.map(({ role, step, cmp, trustConditional }) =>
        this.candidate(
          role.arn,
          `${cmp.reason}; it trusts lambda.amazonaws.com and can be set as the role of ${fn.arn === this.input.fn.arn ? "this function" : `function ${fn.name}`}`,
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
      if (fn.arn === this.input.fn.arn || fn.roleArn === this.input.fn.roleArn) continue;
      if (layer && fn.packageType === "Image") continue; // layers do not apply to container images
      const step = this.firstStep(method.requires[0], fn.arn);
      if (!step) continue;
      const cmp = this.compare(fn.roleArn, `role ${fn.roleArn.split("/").pop()} of function ${fn.name}`);
      if (!cmp.worth) continue;
      const invoke = this.step("lambda:invokefunction", fn.arn);
      const triggers = (this.input.index.mappingsByFunction.get(fn.arn)?.length ?? 0) > 0 || fn.resourcePolicy !== null;
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
    return this.input.index.accountsById.get(this.accountId)?.users ?? [];
  }

  private credentialStep(user: User): Step | null {
    return this.firstStep(["iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile"], user.arn);
  }

  /**
   * Is taking over this user (joining `group`, when given) worth it? Judged like a role: its
   * effective permissions with its groups' policies, boundary and SCPs against the function's.
   */
  private userWorth(user: User, group: Group | null = null): { impact: EscalationImpact; reason: string; gain: number } | null {
    const { index } = this.input;
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
      out.push(this.candidate(user.arn, `the function can grant user ${user.name} any permission and then use its credentials`, [modify, creds], "admin", Infinity));
    }
    return out;
  }

  private group(method: EscalationMethod): Candidate[] {
    const account = this.input.index.accountsById.get(this.accountId);
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
        const member = usable.find((u) => u.user.groupNames.includes(group.name));
        if (!modify || !member) continue;
        out.push(
          this.candidate(
            group.arn,
            `the function can grant group ${group.name} any permission and use the credentials of its member ${member.user.name}`,
            [modify, member.creds],
            "admin",
            Infinity,
          ),
        );
      }
    }
    return out;
  }

  private instanceAccess(prerequisites: Step[]): Candidate[] {
    const instances = `arn:aws:ec2:${this.region}:${this.accountId}:instance/*`;
    const step = this.firstStep(["ssm:sendcommand", "ssm:startsession"], instances);
    if (!step) return [];
    void prerequisites;
    return [
      this.candidate(
        null,
        "every SSM-managed EC2 instance in the account runs the commands with its instance role (instances are not in the snapshot)",
        [{ ...step, conditional: true }],
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

/** A user's effective permissions, with `group` joined when given. */
function userPermissions(index: SnapshotIndex, user: User, group: Group | null): EffectivePermissions {
  return memoPermissions(index, `user ${user.arn}|${group?.arn ?? ""}`, () => effectivePermissions(index, user.arn, undefined, { extraGroups: group ? [group] : [] }));
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
