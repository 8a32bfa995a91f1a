/**
 * Effective identity-based permissions of a role, the fast path: every identity-policy Allow
 * statement becomes a Grant once explicit denies, the permission boundary and every SCP level
 * have been applied, following AWS's policy evaluation logic:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * Work is keyed by a hash of (identity policies, boundary, SCP chain), so roles with the same
 * policies share the result, and each Allow statement's outcome is cached per evaluation context
 * so an AWS-managed policy attached to many roles in one account is evaluated once.
 */
import { hash } from "node:crypto";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";
import type { ConditionBlock, Group, InlinePolicy, PolicyDocument, PolicyStatement, ServiceControlPolicy } from "@/lib/snapshot/types";
import { actionMatcher, expandActionPatterns, expandNotActionPatterns, type ActionMatcher } from "./action-expansion";
import { actionPositions, internActionList, matcherTest, rememberPositions, WorkingActions, type PositionedActions } from "./working-actions";
import { arnPatternMatches, parseArn, patternsOverlap } from "./arn-match";
import { resolvePolicyVariables, settleConditions, testsOnlyCallerChosenKeys, type ConditionContext } from "./conditions";
import { describeStatement } from "./permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import type { EffectivePermissions, Grant, GrantLimit, PolicySourceKind, RemovedActions, StatementRef } from "../types";

/** Reused across calls: results by key, statement outcomes by (context, statement). */
export interface PermissionsCache {
  results: Map<string, EffectivePermissions>;
  statements: Map<string, StatementOutcome | null>;
}

export function createPermissionsCache(): PermissionsCache {
  return { results: new Map(), statements: new Map() };
}

/** A policy with the words that name it. */
interface NamedPolicy {
  kind: PolicySourceKind;
  policyName: string;
  policyArn: string | null;
  document: PolicyDocument;
}

/** The inputs of one evaluation, as read from the index. */
export interface PolicySet {
  roleArn: string;
  accountId: string;
  identity: NamedPolicy[];
  boundary: NamedPolicy | null;
  /** Root first; levels with no SCP attached are left out (see note in `collectPolicySet`). */
  scpLevels: { targetId: string; policies: NamedPolicy[] }[];
  unresolvedPolicies: string[];
  context: ConditionContext;
}

function scpPolicy(scp: ServiceControlPolicy): NamedPolicy {
  return { kind: "scp", policyName: scp.name, policyArn: scp.arn, document: scp.document };
}

/** Read a role's identity policies, boundary and SCP chain from the index. */
export function collectPolicySet(index: SnapshotIndex, principalArn: string, options: { extraGroups?: Group[] } = {}): PolicySet {
  const principal = principalOf(index, principalArn);
  const accountId = parseArn(principal.arn)?.account ?? "";
  const unresolvedPolicies: string[] = [];
  const inline = (policies: InlinePolicy[], prefix = "") =>
    policies.map((p) => ({ kind: "inline" as const, policyName: `${prefix}${p.name}`, policyArn: null, document: p.document }));
  // A user also holds the policies of its groups (and of any group it is about to join).
  const groups = [...principal.groups, ...(options.extraGroups ?? [])];
  const identity: NamedPolicy[] = [...inline(principal.inlinePolicies), ...groups.flatMap((g) => inline(g.inlinePolicies, `group ${g.name}: `))];
  for (const arn of [...principal.attachedPolicyArns, ...groups.flatMap((g) => g.attachedPolicyArns)]) {
    const policy = index.managedPolicies.get(arn);
    if (!policy) {
      unresolvedPolicies.push(arn);
      continue;
    }
    identity.push({
      kind: policy.awsManaged || isAwsManagedPolicyArn(arn) ? "aws-managed" : "customer-managed",
      policyName: policy.name,
      policyArn: policy.arn,
      document: policy.document,
    });
  }
  let boundary: NamedPolicy | null = null;
  if (principal.permissionsBoundaryArn) {
    const policy = index.managedPolicies.get(principal.permissionsBoundaryArn);
    // An unreadable boundary is reported as a gap and not applied: assuming it allows nothing
    // would hide over-privilege.
    if (policy) boundary = { kind: "boundary", policyName: policy.name, policyArn: policy.arn, document: policy.document };
    else unresolvedPolicies.push(principal.permissionsBoundaryArn);
  }
  // AWS requires at least one SCP at every level; a level with none in the snapshot means the
  // attachment was not read, so it is skipped rather than treated as denying everything.
  const scpLevels = (index.scpChain.get(accountId) ?? [])
    .filter((level) => level.policies.length > 0)
    .map((level) => ({ targetId: level.targetId, policies: level.policies.map(scpPolicy) }));
  return {
    roleArn: principal.arn,
    accountId,
    identity,
    boundary,
    scpLevels,
    unresolvedPolicies,
    context: {
      principalArn: principal.arn,
      principalAccount: accountId,
      principalOrgId: index.organizationId,
      requestedRegion: undefined,
      principalTags: principal.tags,
      // A role's permissions are those of its sessions: the function's own, or one assumed from it.
      roleSessionOwnCall: principal.isRole,
      now: evaluationTime(),
    },
  };
}

/** The evaluation time, to the hour: a token is issued shortly before it is used. */
function evaluationTime(): string {
  return `${new Date().toISOString().slice(0, 13)}:00:00.000Z`;
}

/** A role, or an IAM user with its groups: whose identity policies are evaluated. */
function principalOf(
  index: SnapshotIndex,
  arn: string,
): { arn: string; inlinePolicies: InlinePolicy[]; attachedPolicyArns: string[]; permissionsBoundaryArn: string | null; groups: Group[]; isRole: boolean; tags?: Record<string, string> } {
  const role = index.roles.get(arn);
  if (role) return { ...role, groups: [], isRole: true };
  const user = index.users.get(arn);
  if (!user) throw new Error(`Role or user ${arn} is not in the snapshot`);
  const account = index.accountsById.get(parseArn(arn)?.account ?? "");
  const groups = (account?.groups ?? []).filter((g) => user.groupNames.includes(g.name));
  return { ...user, groups, isRole: false };
}

// ---------------------------------------------------------------- canonical JSON and keys

const canonicalCache = new WeakMap<object, string>();

/**
 * JSON with sorted object keys (array order kept: statement indexes matter). Kept per value asked
 * for (a document, a statement), not per value inside it: a copy for every condition and list of
 * every policy in the organization cost more memory than it saved time.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const cached = canonicalCache.get(value);
  if (cached !== undefined) return cached;
  const out = canonicalText(value);
  canonicalCache.set(value, out);
  return out;
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalText(obj[k])}`)
    .join(",")}}`;
}

function sha1(text: string): string {
  return hash("sha1", text, "hex");
}

function namedJson(p: NamedPolicy): string {
  return `{"kind":${JSON.stringify(p.kind)},"name":${JSON.stringify(p.policyName)},"arn":${JSON.stringify(p.policyArn)},"doc":${canonicalJson(p.document)}}`;
}

/** Context values that matter only when a policy mentions the key. */
function contextJson(set: PolicySet, policiesJson: string): string {
  const lower = policiesJson.toLowerCase();
  return JSON.stringify([
    lower.includes("aws:principalarn") ? set.context.principalArn : null,
    lower.includes("aws:principalaccount") ? set.context.principalAccount : null,
    lower.includes("aws:principalorgid") ? set.context.principalOrgId : null,
    lower.includes("aws:principaltag") ? (set.context.principalTags ?? "unknown") : null,
    lower.includes("aws:tokenissuetime") ? set.context.now : null,
    set.context.roleSessionOwnCall ?? false,
  ]);
}

/** The cache key: hash of (identity documents, boundary document, SCP chain documents, settled context). */
export function permissionsKey(set: PolicySet): string {
  const policies = `[${set.identity.map(namedJson).join(",")}]|${set.boundary ? namedJson(set.boundary) : "null"}|[${set.scpLevels
    .map((l) => `[${l.policies.map(namedJson).join(",")}]`)
    .join(",")}]|${JSON.stringify(set.unresolvedPolicies)}`;
  return sha1(`${policies}|${contextJson(set, policies)}`);
}

// ---------------------------------------------------------------- statements

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A Resource element with the policy variables the context knows resolved. */
function resolvedList(value: string | string[] | undefined, context: ConditionContext): string[] {
  return toList(value).map((r) => resolvePolicyVariables(r, context));
}

/** A Deny statement, or an Allow statement of a boundary or SCP, prepared for matching. */
interface ConstraintStatement {
  ref: StatementRef;
  name: string;
  matcher: ActionMatcher;
  resources: string[];
  notResources: string[] | null;
  /** Conditions the context could not settle; null when unconditional. */
  conditions: ConditionBlock | null;
}

function statementRefFor(policy: NamedPolicy, index: number, statement: PolicyStatement): StatementRef {
  return { kind: policy.kind, policyName: policy.policyName, policyArn: policy.policyArn, statementIndex: index, sid: statement.Sid ?? null };
}

function prepare(policy: NamedPolicy, effect: "Allow" | "Deny", context: ConditionContext): ConstraintStatement[] {
  const out: ConstraintStatement[] = [];
  policy.document.Statement.forEach((statement, i) => {
    if (statement.Effect !== effect) return;
    const settled = settleConditions(statement.Condition, context);
    if (settled.outcome === "false") return;
    const ref = statementRefFor(policy, i, statement);
    const notAction = statement.NotAction !== undefined;
    out.push({
      ref,
      name: describeStatement(ref),
      matcher: actionMatcher(notAction ? toList(statement.NotAction) : toList(statement.Action), notAction),
      resources: statement.NotResource !== undefined ? [] : statement.Resource === undefined ? ["*"] : resolvedList(statement.Resource, context),
      notResources: statement.NotResource !== undefined ? resolvedList(statement.NotResource, context) : null,
      conditions: settled.outcome === "unknown" ? settled.remaining : null,
    });
  });
  return out;
}

/** Could the `outer` pattern match every ARN the `inner` pattern matches? Sound, not complete. */
function patternCovers(outer: string, inner: string): boolean {
  if (outer === "*") return true;
  // With only `*` wildcards, an outer glob matching the inner pattern's text absorbs every
  // inner wildcard into one of its own `*` runs. `?` could match an inner `*`, so no claim then.
  if (outer.includes("?")) return outer === inner;
  return arnPatternMatches(outer, inner);
}

/** Does the constraint's resource element cover every resource the grant applies to? */
function coversGrantResources(c: ConstraintStatement, grant: GrantResources): boolean {
  if (c.notResources) {
    if (grant.notResources) return false;
    return grant.resources.every((g) => !c.notResources!.some((n) => patternsOverlap(n, g)));
  }
  if (c.resources.includes("*")) return true;
  if (grant.notResources) return false;
  return grant.resources.every((g) => c.resources.some((r) => patternCovers(r, g)));
}

interface GrantResources {
  resources: string[];
  notResources: string[] | null;
}

// ---------------------------------------------------------------- per-statement evaluation

/** What one Allow statement still grants in one evaluation context; no source attached. */
export interface StatementOutcome {
  actions: readonly string[];
  limits: GrantLimit[];
  removed: Omit<RemovedActions, "allowedBy">[];
}

interface EvaluationContext {
  denies: { statement: ConstraintStatement; reason: "explicit-deny" | "boundary-deny" | "scp-deny" }[];
  boundary: { policy: NamedPolicy; allows: ConstraintStatement[] } | null;
  scpLevels: { targetId: string; allows: ConstraintStatement[] }[];
  context: ConditionContext;
  key: string;
}

interface DraftLimit {
  limit: GrantLimit;
  /** null: every action of the grant at the time. */
  actions: PositionedActions | null;
}

// Lists of actions travel with their universe positions: removing them, testing them and
// reading the removed ones again as bits then costs no lookups of 22k action names.
const positioned = (): PositionedActions => ({ actions: [], positions: [] });

/** A new action array of the list (its positions remembered). */
/** The list as one shared array per content (long lists repeat across roles), its positions remembered. */
function frozenList(list: PositionedActions): string[] {
  const fresh = [...list.actions];
  const actions = internActionList(fresh, list.positions);
  if (actions === fresh) rememberPositions(actions, list.positions);
  return actions;
}

/** Actions of `working` the matcher matches; `all` when every one does. */
function intersect(working: WorkingActions, matcher: ActionMatcher): { all: boolean; list: PositionedActions } {
  const list = positioned();
  if (matcher.all) return { all: true, list };
  const expanded = matcher.expanded!;
  if (expanded.length < working.size) {
    const positions = actionPositions(expanded);
    for (let i = 0; i < expanded.length; i++) {
      if (!working.holds(expanded[i], positions[i])) continue;
      list.actions.push(expanded[i]);
      list.positions.push(positions[i]);
    }
    // Unknown (literal) actions of the grant are matched against the written patterns.
    for (const a of working.unknownActions()) {
      if (!matcher.has(a)) continue;
      list.actions.push(a);
      list.positions.push(-1);
    }
  } else {
    const test = matcherTest(matcher);
    working.forEach((a, p) => {
      if (!test(a, p)) return;
      list.actions.push(a);
      list.positions.push(p);
    });
  }
  return { all: list.actions.length === working.size, list };
}

/** Every action `working` holds, with positions. */
function everyHeld(working: WorkingActions): PositionedActions {
  const list = positioned();
  working.forEach((a, p) => {
    list.actions.push(a);
    list.positions.push(p);
  });
  return list;
}

function evaluateStatement(
  expanded: readonly string[],
  grantResources: GrantResources,
  ctx: EvaluationContext,
): StatementOutcome {
  const working = new WorkingActions(expanded);
  const drafts: DraftLimit[] = [];
  const removed: (Omit<RemovedActions, "allowedBy" | "actions"> & { list: PositionedActions })[] = [];
  const remove = (list: PositionedActions, entry: Omit<RemovedActions, "allowedBy" | "actions">): void => {
    if (list.actions.length === 0) return;
    const same = removed.find((r) => r.reason === entry.reason && r.removedByName === entry.removedByName);
    if (same) {
      same.list.actions.push(...list.actions);
      same.list.positions.push(...list.positions);
    } else removed.push({ ...entry, list: { actions: [...list.actions], positions: [...list.positions] } });
    working.removePositioned(list);
  };

  // 1. Explicit denies: identity, boundary and SCP Deny statements.
  for (const { statement: d, reason } of ctx.denies) {
    if (working.size === 0) break;
    const hit = intersect(working, d.matcher);
    if (!hit.all && hit.list.actions.length === 0) continue;
    const actions = hit.all ? null : hit.list;
    if (d.conditions) {
      drafts.push({
        actions,
        limit: { by: d.ref, kind: "deny-conditional", actions: null, resources: d.resources, notResources: d.notResources, conditions: d.conditions, ...avoidability(d.conditions, "deny") },
      });
    } else if (coversGrantResources(d, grantResources)) {
      remove(hit.all ? everyHeld(working) : hit.list, { reason, removedBy: d.ref, removedByName: d.name });
    } else {
      drafts.push({
        actions,
        limit: { by: d.ref, kind: "deny-resources", actions: null, resources: d.resources, notResources: d.notResources, conditions: null },
      });
    }
  }

  // 2. The boundary and every SCP level must each allow the action.
  const levels: { kind: "boundary" | "scp"; allows: ConstraintStatement[]; notAllowedName: string }[] = [];
  if (ctx.boundary) {
    levels.push({
      kind: "boundary",
      allows: ctx.boundary.allows,
      notAllowedName: `permission boundary "${ctx.boundary.policy.policyName}" allows none of them`,
    });
  }
  for (const level of ctx.scpLevels) {
    levels.push({ kind: "scp", allows: level.allows, notAllowedName: `no SCP attached to ${level.targetId} allows them` });
  }
  for (const level of levels) {
    if (working.size === 0) break;
    const covering = level.allows.map((a) => a.conditions === null && coversGrantResources(a, grantResources));
    if (level.allows.some((a, i) => covering[i] && a.matcher.all)) continue;
    // Group the grant's actions by which of the level's Allow statements match them.
    const groups = new Map<string, PositionedActions>();
    const tests = level.allows.map((a) => matcherTest(a.matcher));
    working.forEach((action, position) => {
      let signature = "";
      let covered = false;
      for (let i = 0; i < tests.length; i++) {
        if (!tests[i](action, position)) continue;
        if (covering[i]) {
          covered = true;
          break;
        }
        signature += `${i},`;
      }
      if (covered) return;
      let group = groups.get(signature);
      if (!group) groups.set(signature, (group = positioned()));
      group.actions.push(action);
      group.positions.push(position);
    });
    const reasonNotAllowed = level.kind === "boundary" ? "boundary-not-allowed" : "scp-not-allowed";
    for (const [signature, actions] of groups) {
      if (signature === "") {
        remove(actions, { reason: reasonNotAllowed, removedBy: null, removedByName: level.notAllowedName });
        continue;
      }
      const all = actions.actions.length === working.size ? null : actions;
      const matching = signature
        .split(",")
        .filter((s) => s !== "")
        .map((s) => level.allows[Number(s)]);
      // A NotResource allow is not expressible as "only on these resources": it is treated as
      // covering the grant's resources (errs towards reporting access, never hiding it).
      const resources = matching.some((m) => m.notResources !== null || m.resources.includes("*"))
        ? null
        : Array.from(new Set(matching.flatMap((m) => m.resources)));
      if (resources) {
        drafts.push({
          actions: all,
          limit: { by: matching[0].ref, kind: `${level.kind}-resources`, actions: null, resources, conditions: null },
        });
      }
      const unconditionalCovers = matching.some((m) => m.conditions === null && (m.notResources !== null || m.resources.includes("*")));
      if (!unconditionalCovers) {
        for (const m of matching) {
          if (m.conditions === null) continue;
          drafts.push({
            actions: all,
            limit: { by: m.ref, kind: `${level.kind}-conditional`, actions: null, resources: m.resources, conditions: m.conditions, ...avoidability(m.conditions, "allow") },
          });
        }
      }
    }
  }

  // 3. Limits name the actions they touch among those that remain (null: all of them).
  const limits: GrantLimit[] = [];
  if (working.size > 0) {
    for (const draft of drafts) {
      if (draft.actions === null) {
        limits.push(draft.limit);
        continue;
      }
      const kept = positioned();
      const { actions, positions } = draft.actions;
      for (let i = 0; i < actions.length; i++) {
        if (!working.holds(actions[i], positions[i])) continue;
        kept.actions.push(actions[i]);
        kept.positions.push(positions[i]);
      }
      if (kept.actions.length === 0) continue;
      limits.push({ ...draft.limit, actions: kept.actions.length === working.size ? null : frozenList(kept) });
    }
  }
  return { actions: working.toArray(), limits, removed: removed.map(({ list, ...entry }) => ({ ...entry, actions: frozenList(list) })) };
}

function buildEvaluationContext(set: PolicySet): EvaluationContext {
  const denies: EvaluationContext["denies"] = [];
  for (const p of set.identity) for (const d of prepare(p, "Deny", set.context)) denies.push({ statement: d, reason: "explicit-deny" });
  if (set.boundary) for (const d of prepare(set.boundary, "Deny", set.context)) denies.push({ statement: d, reason: "boundary-deny" });
  for (const level of set.scpLevels)
    for (const p of level.policies) for (const d of prepare(p, "Deny", set.context)) denies.push({ statement: d, reason: "scp-deny" });
  const constraintJson = [
    ...set.identity.filter((p) => p.document.Statement.some((s) => s.Effect === "Deny")),
    ...(set.boundary ? [set.boundary] : []),
    ...set.scpLevels.flatMap((l) => [{ kind: "scp" as const, policyName: `level:${l.targetId}`, policyArn: null, document: { Statement: [] } }, ...l.policies]),
  ]
    .map(namedJson)
    .join(",");
  return {
    denies,
    boundary: set.boundary ? { policy: set.boundary, allows: prepare(set.boundary, "Allow", set.context) } : null,
    scpLevels: set.scpLevels.map((l) => ({ targetId: l.targetId, allows: l.policies.flatMap((p) => prepare(p, "Allow", set.context)) })),
    context: set.context,
    // Context values join the key only when some policy of the set mentions them.
    key: sha1(`${constraintJson}|${contextJson(set, `${set.identity.map(namedJson).join(",")}${constraintJson}`)}`),
  };
}


/**
 * A condition that only tests the request's region narrows where a grant works, not whether a
 * compromised function can use it: the attacker picks the region. Such limits stay for the
 * explanation but do not make the grant conditional.
 */
function avoidability(conditions: ConditionBlock, effect: "deny" | "allow"): { avoidable?: string } {
  const entries = Object.entries(conditions).flatMap(([operator, block]) => Object.entries(block).map(([key, value]) => ({ operator, key: key.toLowerCase(), value })));
  if (!testsOnlyCallerChosenKeys(conditions)) return {};
  const values = entries.flatMap((e) => (Array.isArray(e.value) ? e.value : [e.value]).map(String));
  // A pattern that matches every region cannot be stepped around.
  if (values.some((v) => v === "*")) return {};
  const negated = entries.every((e) => /Not/.test(e.operator));
  const regions = values.join(", ");
  if (effect === "deny") return { avoidable: negated ? `only in regions ${regions}` : `outside regions ${regions}` };
  return { avoidable: negated ? `outside regions ${regions}` : `only in regions ${regions}` };
}

/**
 * A grant on every resource that the boundary or an SCP allows only on some resources is, in
 * effect, a grant on those resources: narrow it so blast radius and rules see the real scope.
 */
function narrowedResources(grant: GrantResources, limits: GrantLimit[]): string[] {
  if (grant.notResources !== null || !grant.resources.includes("*")) return grant.resources;
  const narrowing = limits.filter((l) => (l.kind === "boundary-resources" || l.kind === "scp-resources") && l.actions === null && !l.notResources);
  if (narrowing.length === 0) return grant.resources;
  // Each level must allow the resource: with several levels, keep the patterns of the narrowest one.
  return [...narrowing].sort((a, b) => a.resources.length - b.resources.length)[0].resources;
}

// ---------------------------------------------------------------- entry point

/**
 * Effective identity-based permissions of a role (the function's execution role), or of an IAM
 * user with its groups (`extraGroups` adds groups it would join).
 * Pass one `PermissionsCache` across calls: equal keys return the same grants.
 */
export function effectivePermissions(index: SnapshotIndex, principalArn: string, cache?: PermissionsCache, options: { extraGroups?: Group[] } = {}): EffectivePermissions {
  const set = collectPolicySet(index, principalArn, options);
  const key = permissionsKey(set);
  const hit = cache?.results.get(key);
  if (hit) return hit.principalArn === principalArn ? hit : { ...hit, principalArn };

  const ctx = buildEvaluationContext(set);
  const grants: Grant[] = [];
  const removed: RemovedActions[] = [];
  for (const policy of set.identity) {
    policy.document.Statement.forEach((statement, i) => {
      if (statement.Effect !== "Allow") return;
      const source = statementRefFor(policy, i, statement);
      const statementKey = `${ctx.key}|${canonicalJson(statement)}`;
      let outcome = cache?.statements.get(statementKey);
      let conditions: ConditionBlock | null = null;
      const settled = settleConditions(statement.Condition, set.context);
      if (settled.outcome === "false") return;
      if (settled.outcome === "unknown") conditions = settled.remaining;
      const notAction = statement.NotAction !== undefined;
      const written = toList(notAction ? statement.NotAction : statement.Action).map((a) => a.toLowerCase());
      const grantResources: GrantResources =
        statement.NotResource !== undefined
          ? { resources: [], notResources: resolvedList(statement.NotResource, set.context) }
          : { resources: statement.Resource === undefined ? ["*"] : resolvedList(statement.Resource, set.context), notResources: null };
      if (outcome === undefined) {
        const expanded = notAction ? expandNotActionPatterns(written) : expandActionPatterns(written);
        outcome = expanded.length === 0 ? null : evaluateStatement(expanded, grantResources, ctx);
        cache?.statements.set(statementKey, outcome);
      }
      if (!outcome) return;
      for (const r of outcome.removed) removed.push({ ...r, allowedBy: source });
      if (outcome.actions.length === 0) return;
      grants.push({
        actions: outcome.actions,
        resources: narrowedResources(grantResources, outcome.limits),
        notResources: grantResources.notResources,
        conditions,
        source,
        writtenActions: written,
        notAction,
        limits: outcome.limits,
      });
    });
  }
  const result: EffectivePermissions = { principalArn, key, grants, removed, unresolvedPolicies: set.unresolvedPolicies };
  cache?.results.set(key, result);
  return result;
}
