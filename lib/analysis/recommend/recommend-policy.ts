/**
 * The recommended least-privilege policy for one execution role: what its functions use
 * (service-last-accessed data, which AWS keeps per role) and what each function's configuration
 * requires (required-by-config.ts), narrowed to the resources their configurations reference, and
 * never more than the role allows today. A policy is attached to a role, not a function, so
 * functions sharing a role get one recommendation covering all of them.
 */
import type { ConditionBlock, EventSourceMapping, LambdaFunction, PolicyDocument, PolicyStatement, ServiceLastAccessed } from "@/lib/snapshot/types";
import type { EffectivePermissions, Grant, GrantLimit, RecommendedPolicy, StatementRef } from "@/lib/analysis/types";
import { LIST_CAPS } from "@/lib/analysis/types";
import type { SnapshotIndex } from "@/lib/analysis/snapshot-index";
import { arnPatternMatches, parseArn, patternsOverlap } from "@/lib/analysis/policy/arn-match";
import { decide, describeStatement, grantsFor, sortedAllowedActions } from "@/lib/analysis/policy/permission-queries";
import { trustsService } from "@/lib/analysis/graph/trust";
import { actionAppliesTo, actionInfo, canonicalActionName } from "./action-catalog";
import { pascalName, requiredByConfiguration, type Requirement } from "./required-by-config";
import { referencedResources, type ReferencedResource } from "./referenced-resources";
import { unifiedDiff } from "./text-diff";

/** One function of a role; its recommendation is its role's (see `recommendPolicy`). */
export interface RecommendPolicyInput {
  index: SnapshotIndex;
  fn: LambdaFunction;
  /** The function role's effective permissions. */
  perms: EffectivePermissions;
  /** The role's service-last-accessed details (ACTION_LEVEL), null when not collected. */
  lastAccessed: ServiceLastAccessed[] | null;
  /** The function's event source mappings (those of the role's other functions come from the index). */
  mappings?: EventSourceMapping[];
}

/** A role and every function executing as it. */
export interface RolePolicyInput {
  index: SnapshotIndex;
  roleArn: string;
  /** Every function executing as the role, each with its event source mappings. */
  functions: { fn: LambdaFunction; mappings: EventSourceMapping[] }[];
  /** The role's effective permissions. */
  perms: EffectivePermissions;
  /** The role's service-last-accessed details (ACTION_LEVEL), null when not collected. */
  lastAccessed: ServiceLastAccessed[] | null;
}

/** How last-accessed data classifies one action. */
/** `service-used`: the service was used but AWS does not track this action, so its use is unknown. */
export type ActionUsage = "used" | "service-used" | "service-never-used" | "action-never-used" | "unknown";

/**
 * Classify an action by last-accessed data. Action-level data covers only the actions AWS
 * tracks (S3 object reads and writes are not among them), so an untracked action of a used
 * service counts as used. A service absent from the data is `unknown`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-action-last-accessed.html
 */
export function usageClassifier(lastAccessed: ServiceLastAccessed[] | null): (action: string) => ActionUsage {
  const services = new Map<string, { used: boolean; tracked: Map<string, boolean> | null }>();
  for (const s of lastAccessed ?? []) {
    const tracked = s.trackedActions
      ? new Map(
          s.trackedActions.map((t) => {
            const name = t.actionName.toLowerCase();
            return [name.includes(":") ? name.slice(name.indexOf(":") + 1) : name, t.lastAccessedTime !== null] as const;
          }),
        )
      : null;
    services.set(s.serviceNamespace.toLowerCase(), { used: s.lastAuthenticated !== null, tracked });
  }
  // Actions come sorted, a service's together: its entry is looked up once per run of them.
  let prefix: string | null = null;
  let service: { used: boolean; tracked: Map<string, boolean> | null } | undefined;
  return (action) => {
    const i = action.indexOf(":");
    if (i < 0) {
      prefix = null;
      service = services.get(action.slice(0, i).toLowerCase());
    } else if (prefix === null || i !== prefix.length - 1 || !action.startsWith(prefix)) {
      prefix = action.slice(0, i + 1);
      service = services.get(action.slice(0, i).toLowerCase());
    }
    if (!service) return "unknown";
    if (!service.used) return "service-never-used";
    const tracked = service.tracked?.get(action.slice(i + 1).toLowerCase());
    if (tracked === false) return "action-never-used";
    return tracked === true ? "used" : "service-used";
  };
}

/** One allowed (action, resource) the recommendation keeps. */
interface Entry {
  action: string;
  /** A resource pattern, or null with `notResources` for a kept `NotResource` grant. */
  resource: string | null;
  notResources: string[] | null;
  conditions: ConditionBlock | null;
  /** The grants whose identity-policy denies must travel with it. */
  grants: Grant[];
  /** Set for configuration-required entries. */
  requirement: Requirement | null;
  /** Where the narrowed resource came from, for the notes. */
  origin: string | null;
}

const IDENTITY_KINDS = new Set<StatementRef["kind"]>(["inline", "customer-managed", "aws-managed"]);

function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value as Record<string, unknown>).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The ways the current permissions allow `action` on `pattern`: the pattern itself when `decide`
 * allows it, otherwise the narrower grant or boundary/SCP patterns inside it that it allows.
 * Each scope carries the conditions of the identity grants that allow it (none when one allows
 * it unconditionally: boundary and SCP conditions stay in force outside the policy).
 */
function permittedScopes(
  perms: EffectivePermissions,
  action: string,
  pattern: string,
): { resource: string; conditions: ConditionBlock | null; grants: Grant[] }[] {
  const grants = grantsFor(perms, action);
  const scopeFor = (resource: string) => {
    const d = decide(perms, action, resource);
    if (d.decision !== "allowed") return [];
    const allowing = grants.filter((g) => d.allowedBy.some((a) => a.ref === g.source));
    if (allowing.some((g) => g.conditions === null) || allowing.length === 0) {
      return [{ resource, conditions: null, grants: allowing }];
    }
    // Several conditional grants are an OR of their conditions: one scope (statement) each.
    const byConditions = new Map<string, { resource: string; conditions: ConditionBlock | null; grants: Grant[] }>();
    for (const g of allowing) {
      const key = stableStringify(g.conditions);
      const existing = byConditions.get(key);
      if (existing) existing.grants.push(g);
      else byConditions.set(key, { resource, conditions: g.conditions, grants: [g] });
    }
    return [...byConditions.values()];
  };
  const direct = scopeFor(pattern);
  if (direct.length > 0) return direct;
  const inner = new Set<string>();
  for (const g of grants) {
    for (const r of g.resources) if (r !== pattern && arnPatternMatches(pattern, r)) inner.add(r);
    for (const limit of g.limits) {
      if (limit.kind !== "boundary-resources" && limit.kind !== "scp-resources") continue;
      for (const r of limit.resources) if (r !== pattern && arnPatternMatches(pattern, r)) inner.add(r);
    }
  }
  return [...inner].sort(byString).flatMap(scopeFor);
}

/** What the role's functions need by configuration, and what they reference, together. */
function functionsNeeds(functions: RolePolicyInput["functions"]) {
  const requirements: Requirement[] = [];
  const uncovered: ReturnType<typeof requiredByConfiguration>["uncovered"] = [];
  const refs = new Map<string, ReferencedResource>();
  const several = functions.length > 1;
  for (const { fn, mappings } of functions) {
    const needs = requiredByConfiguration(fn, mappings);
    requirements.push(...needs.requirements);
    uncovered.push(...needs.uncovered);
    for (const r of referencedResources(fn, mappings)) {
      // With several functions, say whose configuration names the resource.
      if (!refs.has(r.arn)) refs.set(r.arn, several ? { ...r, origin: `${r.origin} of ${fn.name}` } : r);
    }
  }
  return { requirements, uncovered, refs: [...refs.values()].sort((a, b) => byString(a.arn, b.arn)) };
}

/**
 * The recommended policy of `fn`: its role's, covering every function of that role in the index
 * (a policy is attached to the role, so functions sharing it must get one answer). Computed once
 * per role: the role's other functions get the same object, and it is forgotten once each of
 * them has asked (the analysis asks once per function), so a large organization's
 * recommendations do not pile up in memory.
 */
export function recommendPolicy(input: RecommendPolicyInput): RecommendedPolicy {
  const { index, fn } = input;
  let byRole = roleRecommendations.get(index);
  if (!byRole) roleRecommendations.set(index, (byRole = new Map()));
  const roleFunctions = index.functionsByRole.get(fn.roleArn) ?? [fn];
  let cached = byRole.get(fn.roleArn);
  if (!cached) {
    const functions = (roleFunctions.some((f) => f.arn === fn.arn) ? roleFunctions : [...roleFunctions, fn]).map((f) => ({
      fn: f,
      mappings: f.arn === fn.arn && input.mappings ? input.mappings : (index.mappingsByFunction.get(f.arn) ?? []),
    }));
    cached = { policy: recommendRolePolicy({ index, roleArn: fn.roleArn, functions, perms: input.perms, lastAccessed: input.lastAccessed }), asked: new Set() };
    byRole.set(fn.roleArn, cached);
  }
  cached.asked.add(fn.arn);
  if (cached.asked.size >= roleFunctions.length) byRole.delete(fn.roleArn);
  return cached.policy;
}

const roleRecommendations = new WeakMap<SnapshotIndex, Map<string, { policy: RecommendedPolicy; asked: Set<string> }>>();

/** The recommended least-privilege identity policy for one role, covering every function executing as it. */
export function recommendRolePolicy(input: RolePolicyInput): RecommendedPolicy {
  const { perms } = input;
  const hasUsage = input.lastAccessed !== null && input.lastAccessed.length > 0;
  const usage = usageClassifier(hasUsage ? input.lastAccessed : null);
  const { requirements, uncovered, refs } = functionsNeeds(input.functions);
  const environmentRefs = refs.filter((r) => r.fromEnvironment);
  const notes: string[] = [];

  const entries = new Map<string, Entry>();
  /** `action\0resource` of every entry with a resource. */
  const entryTargets = new Set<string>();
  const entryKey = (e: Pick<Entry, "action" | "resource" | "notResources" | "conditions">) =>
    `${e.action}\u0000${e.resource ?? `not:${(e.notResources ?? []).join(",")}`}\u0000${stableStringify(e.conditions)}`;
  const addEntry = (e: Entry) => {
    const key = entryKey(e);
    if (entries.has(key)) return;
    entries.set(key, e);
    if (e.resource !== null) entryTargets.add(`${e.action}\u0000${e.resource}`);
  };

  // 1. What the configuration requires, where the role allows it today.
  for (const req of requirements) {
    const missing: { action: string; resource: string }[] = [];
    for (const { action, resource } of req.entries) {
      if (entryTargets.has(`${action}\u0000${resource}`)) continue;
      const scopes = permittedScopes(perms, action, resource);
      if (scopes.length === 0) missing.push({ action, resource });
      for (const s of scopes) {
        addEntry({ action, resource: s.resource, notResources: null, conditions: s.conditions, grants: s.grants, requirement: req, origin: null });
      }
    }
    if (missing.length > 0) {
      const byResource = groupBy(missing, (m) => m.resource);
      const adds = [...byResource.entries()]
        .map(([resource, ms]) => `${ms.map((m) => canonicalActionName(m.action)).join(", ")} on ${resource}`)
        .join("; ");
      notes.push(
        `${capitalize(req.whenMissing)}; add ${adds} (${req.doc}). Not added here: the recommendation never grants more than the role allows today.`,
      );
    }
  }

  // 2. What it uses (or, without usage data, what its configuration references).
  // Each allowed action is looked at once, so each lands in at most one list, in sorted order.
  const dropped = {
    serviceNeverUsed: [] as string[],
    actionNeverUsed: [] as string[],
    notReferenced: [] as string[],
    managementWithoutUsage: [] as string[],
  };
  const unknownActions: string[] = [];
  const requiredActions = new Set([...entries.values()].map((e) => e.action));
  for (const action of sortedAllowedActions(perms)) {
    const use = usage(action);
    if (use === "service-never-used") {
      dropped.serviceNeverUsed.push(action);
      continue;
    }
    if (use === "action-never-used") {
      dropped.actionNeverUsed.push(action);
      continue;
    }
    const byConfiguration = use === "unknown";
    if (byConfiguration && hasUsage) unknownActions.push(action);
    // Without usage data only referenced resources can justify an action: with none, nothing is kept
    // (the same outcome as walking its grants, without the walk).
    if (byConfiguration && environmentRefs.length === 0) {
      dropped.notReferenced.push(action);
      continue;
    }
    if (byConfiguration) {
      // Without usage data, permission and tag management on a referenced resource is not assumed needed.
      const level = actionInfo(action)?.accessLevel;
      if (level === "Permissions management" || level === "Tagging") {
        dropped.managementWithoutUsage.push(action);
        continue;
      }
    }
    // The service was used but AWS does not track this action: keep it where it can be scoped to
    // what the function references, or where it only lists or reads; an unscoped write or any
    // permission or tag management is not assumed needed.
    const untracked = use === "service-used";
    const level = untracked ? actionInfo(action)?.accessLevel : undefined;
    if (untracked && (level === "Permissions management" || level === "Tagging")) {
      dropped.managementWithoutUsage.push(action);
      continue;
    }
    let kept = false;
    const mode = {
      // A required action is already scoped by its requirement: a wildcard nothing narrows is not kept beside it.
      keepUnnarrowedWildcards: !byConfiguration && !requiredActions.has(action) && (!untracked || level === "List" || level === "Read"),
      keepLiterals: !byConfiguration,
    };
    for (const grant of grantsFor(perms, action)) {
      // Without usage data, only what the code names (its environment) justifies more than the configuration table.
      for (const target of resourceTargets(action, grant, byConfiguration ? environmentRefs : refs, mode)) {
        if (target.notResources) {
          // Kept whole only when nothing narrows it; a boundary or SCP resource limit would make it wider than today.
          if (grant.limits.some((l) => l.kind === "boundary-resources" || l.kind === "scp-resources")) continue;
          addEntry({ action, resource: null, notResources: target.notResources, conditions: grant.conditions, grants: [grant], requirement: null, origin: null });
          kept = true;
          continue;
        }
        for (const s of permittedScopes(perms, action, target.resource)) {
          addEntry({ action, resource: s.resource, notResources: null, conditions: s.conditions, grants: s.grants, requirement: null, origin: target.origin });
          kept = true;
        }
      }
    }
    if (!kept) dropped.notReferenced.push(action);
  }

  // 2b. A role the functions pass is passed to a service that will run as it: the calls that hand it over.
  for (const e of passedRoleCompanions(input, entries, usage)) addEntry(e);

  // 3. Drop an entry another entry of the same action and conditions already covers.
  const all = [...entries.values()];
  const sameAction = groupBy(
    all.map((e) => ({ e, conditions: stableStringify(e.conditions) })),
    ({ e }) => e.action,
  );
  const kept = all.filter((e) => {
    if (e.resource === null) return true;
    const conditions = stableStringify(e.conditions);
    return !sameAction.get(e.action)!.some(
      ({ e: o, conditions: other }) =>
        o !== e &&
        o.resource !== null &&
        o.resource !== e.resource &&
        other === conditions &&
        arnPatternMatches(o.resource, e.resource!) &&
        // Keep a configuration-required entry rather than the usage entry that covers it.
        !(e.requirement && !o.requirement),
    );
  });

  const statements = buildStatements(kept, input.functions.length > 1 ? `its ${input.functions.length} functions use` : "the function uses");
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements.map((s) => s.statement) };

  // Notes: why each statement is there, then what was dropped.
  for (const s of statements) notes.push(`${s.statement.Sid}: ${s.why}`);
  const keptActions = new Set(kept.map((e) => e.action));
  // Already in order: the sorted list is shared by every function holding this permission set.
  const removed = sortedAllowedActions(perms).filter((a) => !keptActions.has(a));
  const countServices = (actions: readonly string[]) => servicesOf(actions).length;
  const onlyRemoved = (list: string[]) => list.filter((a) => !keptActions.has(a));
  const unknownServices = servicesOf(unknownActions);
  const serviceNeverUsed = onlyRemoved(dropped.serviceNeverUsed);
  if (serviceNeverUsed.length > 0) {
    notes.push(
      `Dropped ${plural(serviceNeverUsed.length, "action")} of ${plural(countServices(serviceNeverUsed), "service")} never used in the tracking period (${listServices(serviceNeverUsed)}).`,
    );
  }
  const actionNeverUsed = onlyRemoved(dropped.actionNeverUsed);
  if (actionNeverUsed.length > 0) {
    notes.push(
      `Dropped ${plural(actionNeverUsed.length, "tracked action")} never used in the tracking period (${listActions(actionNeverUsed)}).`,
    );
  }
  const notReferenced = onlyRemoved(dropped.notReferenced);
  if (notReferenced.length > 0) {
    notes.push(
      `Dropped ${plural(notReferenced.length, "action")} of ${plural(countServices(notReferenced), "service")} with no action-level usage data and no resource in the configuration to scope them to (${listServices(notReferenced)}).`,
    );
  }
  const management = onlyRemoved(dropped.managementWithoutUsage);
  if (management.length > 0) {
    notes.push(
      `Dropped ${plural(management.length, "permissions-management or tagging action")}: without action-level usage data they are not assumed needed (${listActions(management)}).`,
    );
  }
  if (unknownServices.length > 0) {
    notes.push(
      `Last-accessed data does not cover ${unknownServices.sort(byString).join(", ")}; their actions were kept only where the configuration references a resource.`,
    );
  }
  for (const u of uncovered) {
    notes.push(`The event source mapping ${u.mappingUuid} reads ${u.description}, which the configuration table does not cover; review its permissions by hand.`);
  }
  if (kept.some((e) => e.origin !== null)) {
    notes.push("Resources were narrowed to those the configuration and environment variables reference; if the code reaches other resources, add them.");
  }
  if (perms.unresolvedPolicies.length > 0) {
    notes.push(`Could not read ${perms.unresolvedPolicies.join(", ")}; what they grant is not in this recommendation.`);
  }
  if (!hasUsage) {
    notes.push("No last-accessed data: the recommendation rests on the configuration only. Review it before applying.");
  }

  const role = input.index.roles.get(input.roleArn) ?? null;
  const current = currentPolicyText(input.index, input.roleArn);
  const diff = unifiedDiff(current.text, `${JSON.stringify(document, null, 2)}\n`, {
    from: `current (${role ? `role ${role.name}` : input.roleArn}: ${current.sources.length} ${current.sources.length === 1 ? "policy" : "policies"})`,
    to: "recommended",
  });

  return {
    document,
    confidence: hasUsage ? "usage-data" : "configuration-only",
    // Several functions with the same need (a log group template, a shared queue) say it once.
    notes: [...new Set(notes)],
    diff,
    removedActions: removed.slice(0, LIST_CAPS.removedActions).map(canonicalActionName),
    removedActionCount: removed.length,
  };
}

const PASS_ROLE_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html";

/**
 * Kept `iam:PassRole` on a named role is only of use through the service the role trusts: the
 * role is handed over by that service's calls (lambda:CreateFunction, then invoking or reading
 * what was created). Without them the function breaks, while the PassRole the recommendation
 * keeps still carries the risk. So the role's actions of each service the passed role trusts are
 * kept as granted today, unless usage data says they were never used; permission and tag
 * management are not assumed. (deploy-helper: PassRole on data-admin-role, which trusts Lambda,
 * keeps lambda:CreateFunction, InvokeFunction and GetFunction.)
 */
function passedRoleCompanions(input: RolePolicyInput, entries: Map<string, Entry>, usage: (action: string) => ActionUsage): Entry[] {
  const { perms, index } = input;
  const passed = new Set<string>();
  for (const e of entries.values()) if (e.action === "iam:passrole" && e.resource && !hasWildcard(e.resource)) passed.add(e.resource);
  if (passed.size === 0) return [];
  const keptActions = new Set([...entries.values()].map((e) => e.action));
  const out: Entry[] = [];
  // One Requirement object per Sid, so the statement's actions group together.
  const requirementsBySid = new Map<string, Requirement>();
  const sharedRequirement = (r: Requirement) => requirementsBySid.get(r.sid) ?? (requirementsBySid.set(r.sid, r), r);
  for (const roleArn of [...passed].sort(byString)) {
    const role = index.roles.get(roleArn);
    const accountId = parseArn(roleArn)?.account;
    if (!role || !accountId) continue;
    const trusted = new Map<string, boolean>();
    const trusts = (service: string) => {
      let t = trusted.get(service);
      if (t === undefined) trusted.set(service, (t = trustsService(role, `${service}.amazonaws.com`, accountId) !== null));
      return t;
    };
    for (const action of sortedAllowedActions(perms)) {
      if (keptActions.has(action)) continue;
      const service = action.slice(0, action.indexOf(":"));
      if (service === "iam" || !trusts(service)) continue;
      const use = usage(action);
      if (use === "service-never-used" || use === "action-never-used") continue;
      const level = actionInfo(action)?.accessLevel;
      if (level === "Permissions management" || level === "Tagging") continue;
      const requirement: Requirement = {
        sid: `HandOver${pascalName(roleArn)}To${service.split(/[^A-Za-z0-9]+/).map((w) => (w ? w[0].toUpperCase() + w.slice(1) : "")).join("")}`,
        reason: `${input.functions.length > 1 ? "The functions pass" : "The function passes"} ${role.name} to ${service} (its iam:PassRole is kept); ${service} runs as it only through these calls, kept as granted today.`,
        whenMissing: `the role cannot hand ${role.name} to ${service} today`,
        doc: PASS_ROLE_DOC,
        entries: [],
      };
      for (const grant of grantsFor(perms, action)) {
        for (const resource of grant.resources) {
          for (const scope of permittedScopes(perms, action, resource)) {
            out.push({ action, resource: scope.resource, notResources: null, conditions: scope.conditions, grants: scope.grants, requirement: sharedRequirement(requirement), origin: null });
          }
        }
      }
    }
  }
  return out;
}

type Target = { resource: string; notResources: null; origin: string | null } | { resource: null; notResources: string[]; origin: null };

/**
 * Where one grant's action is kept: the grant's resource patterns, with each wildcard narrowed
 * to the referenced resources it covers and the action can be scoped to. A wildcard nothing
 * narrows stays as written when usage keeps the action, and is dropped in configuration mode.
 */
function resourceTargets(
  action: string,
  grant: Grant,
  refs: ReferencedResource[],
  mode: { keepUnnarrowedWildcards: boolean; keepLiterals: boolean },
): Target[] {
  const narrowed = (covers: (arn: string) => boolean): Target[] =>
    refs.filter((r) => covers(r.arn) && actionAppliesTo(action, r.arn)).map((r) => ({ resource: r.arn, notResources: null, origin: r.origin }));

  if (grant.notResources) {
    const notResources = grant.notResources;
    const inside = narrowed((arn) => !notResources.some((p) => arnPatternMatches(p, arn)));
    if (inside.length > 0 || !mode.keepUnnarrowedWildcards) return inside;
    return [{ resource: null, notResources, origin: null }];
  }
  return grant.resources.flatMap((pattern): Target[] => {
    if (!hasWildcard(pattern)) {
      if (mode.keepLiterals) return [{ resource: pattern, notResources: null, origin: null }];
      const ref = refs.find((r) => r.arn === pattern);
      return ref ? [{ resource: pattern, notResources: null, origin: ref.origin }] : [];
    }
    const inside = narrowed((arn) => arnPatternMatches(pattern, arn));
    if (inside.length > 0 || !mode.keepUnnarrowedWildcards) return inside;
    return [{ resource: pattern, notResources: null, origin: null }];
  });
}

interface BuiltStatement {
  statement: PolicyStatement;
  why: string;
}

/** Group entries into statements (identical resources and conditions), name them, and carry identity denies. */
function buildStatements(entries: Entry[], users: string): BuiltStatement[] {
  const usedSids = new Set<string>();
  const uniqueSid = (base: string) => {
    const clean = base.replace(/[^A-Za-z0-9]/g, "").slice(0, 100) || "Statement";
    let sid = clean;
    for (let n = 2; usedSids.has(sid); n++) sid = `${clean}${n}`;
    usedSids.add(sid);
    return sid;
  };

  // Per (purpose, action, conditions): its resource set; then actions with equal sets share a statement.
  // `reasons`: one per function when several functions' configurations need the same statement.
  type Group = { purpose: Requirement | null; reasons: Set<string>; conditions: ConditionBlock | null; resources: string[]; notResources: string[] | null; actions: string[]; origins: Set<string> };
  const perAction = new Map<string, Group>();
  for (const e of entries) {
    const key = `${e.requirement?.sid ?? ""}\u0000${e.action}\u0000${stableStringify(e.conditions)}\u0000${e.notResources ? "not" : ""}`;
    let g = perAction.get(key);
    if (!g) {
      g = { purpose: e.requirement, reasons: new Set(), conditions: e.conditions, resources: [], notResources: e.notResources, actions: [e.action], origins: new Set() };
      perAction.set(key, g);
    }
    if (e.requirement) g.reasons.add(e.requirement.reason);
    if (e.resource !== null && !g.resources.includes(e.resource)) g.resources.push(e.resource);
    if (e.origin) g.origins.add(e.origin);
  }
  const grouped = new Map<string, Group>();
  for (const g of perAction.values()) {
    g.resources.sort(byString);
    const key = `${g.purpose?.sid ?? ""}\u0000${g.resources.join(",")}\u0000${(g.notResources ?? []).join(",")}\u0000${stableStringify(g.conditions)}`;
    const existing = grouped.get(key);
    if (existing) {
      existing.actions.push(...g.actions);
      for (const o of g.origins) existing.origins.add(o);
      for (const r of g.reasons) existing.reasons.add(r);
    } else grouped.set(key, { ...g, actions: [...g.actions], origins: new Set(g.origins), reasons: new Set(g.reasons) });
  }

  const requirementOrder = new Map<Requirement, number>();
  for (const e of entries) if (e.requirement && !requirementOrder.has(e.requirement)) requirementOrder.set(e.requirement, requirementOrder.size);
  const groups = [...grouped.values()].map((g) => ({ ...g, actions: g.actions.sort(byString) }));
  groups.sort((a, b) => {
    const ra = a.purpose ? requirementOrder.get(a.purpose)! : Number.MAX_SAFE_INTEGER;
    const rb = b.purpose ? requirementOrder.get(b.purpose)! : Number.MAX_SAFE_INTEGER;
    if (ra !== rb) return ra - rb;
    // Within a requirement the statement with more actions comes first and takes the plain Sid.
    if (a.purpose && a.actions.length !== b.actions.length) return b.actions.length - a.actions.length;
    return byString(
      `${a.resources.join(",")}|${(a.notResources ?? []).join(",")}|${a.actions.join(",")}|${stableStringify(a.conditions)}`,
      `${b.resources.join(",")}|${(b.notResources ?? []).join(",")}|${b.actions.join(",")}|${stableStringify(b.conditions)}`,
    );
  });

  const out: BuiltStatement[] = [];
  for (const g of groups) {
    const sid = uniqueSid(g.purpose ? g.purpose.sid : usageSid(g.actions, g.resources, g.notResources));
    const actions = sortCanonical(g.actions);
    const statement: PolicyStatement = { Sid: sid, Effect: "Allow", Action: single(actions) };
    if (g.notResources) statement.NotResource = single([...g.notResources].sort(byString));
    else statement.Resource = single(g.resources);
    if (g.conditions) statement.Condition = g.conditions;
    const conditional = g.conditions ? " Kept conditional, as the current grant is." : "";
    let why: string;
    if (g.purpose) why = `${[...g.reasons].join(" ")} (${g.purpose.doc})${conditional}`;
    else {
      const scope = g.notResources
        ? "kept on every resource except the ones the current grant excludes: nothing in the configuration narrows it"
        : g.origins.size > 0
          ? `scoped to what ${[...g.origins].sort(byString).join(", ")} references`
          : g.resources.includes("*")
            ? "kept on * as granted today: nothing in the configuration narrows it"
            : "kept on the resources granted today";
      why = `${actions.length} ${actions.length === 1 ? "action" : "actions"} ${users}, ${scope}.${conditional}`;
    }
    out.push({ statement, why });
  }

  out.push(...carriedDenies(entries, uniqueSid));
  return out;
}

/**
 * Explicit denies in the role's own policies narrow today's grants; the recommendation replaces
 * those policies, so a deny that touches a kept (action, resource) travels with it.
 * Boundary and SCP limits stay in force outside the policy and need no copy.
 */
function carriedDenies(entries: Entry[], uniqueSid: (base: string) => string): BuiltStatement[] {
  const byLimit = new Map<string, { limit: GrantLimit; actions: Set<string> }>();
  for (const e of entries) {
    for (const g of e.grants) {
      for (const limit of g.limits) {
        if (limit.kind !== "deny-resources" && limit.kind !== "deny-conditional") continue;
        if (!IDENTITY_KINDS.has(limit.by.kind)) continue;
        if (limit.actions && !limit.actions.includes(e.action)) continue;
        const touches = e.resource === null || limit.resources.some((r) => patternsOverlap(r, e.resource!));
        if (!touches) continue;
        const key = `${stableStringify(limit.by)}\u0000${limit.kind}\u0000${limit.resources.join(",")}\u0000${stableStringify(limit.conditions)}`;
        const existing = byLimit.get(key);
        if (existing) existing.actions.add(e.action);
        else byLimit.set(key, { limit, actions: new Set([e.action]) });
      }
    }
  }
  return [...byLimit.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([, { limit, actions }]) => {
      const statement: PolicyStatement = {
        Sid: uniqueSid(`KeepDeny${limit.by.sid ?? ""}`),
        Effect: "Deny",
        Action: single(sortCanonical([...actions])),
        Resource: single([...limit.resources].sort(byString)),
      };
      if (limit.conditions) statement.Condition = limit.conditions;
      return {
        statement,
        why: `Carries the deny of ${describeStatement(limit.by)}, so the recommendation never allows what it denies today.`,
      };
    });
}

/** `ReadOrdersTable`, `ReadWriteOrdersBucketObjects`, `UseXray`: the verb from access levels, the noun from the resources. */
function usageSid(actions: string[], resources: string[], notResources: string[] | null): string {
  const levels = new Set(actions.map((a) => actionInfo(a)?.accessLevel ?? "Unknown"));
  let verb: string;
  if (levels.has("Permissions management")) verb = "Manage";
  else if (levels.has("Unknown")) verb = "Use";
  else {
    const read = levels.has("Read") || levels.has("List");
    const write = levels.has("Write");
    const tag = levels.has("Tagging");
    verb = read && write ? "ReadWrite" : write ? "Write" : levels.has("Read") ? "Read" : read ? "List" : tag ? "Tag" : "Use";
    if (tag && (read || write)) verb += "Tag";
  }
  const services = [...new Set(actions.map((a) => a.slice(0, a.indexOf(":"))))].sort(byString);
  const serviceWord = services.map((s) => s.split(/[^A-Za-z0-9]+/).map((w) => w[0].toUpperCase() + w.slice(1)).join("")).join("And");
  if (notResources) return `${verb}${serviceWord}ExceptListed`;
  if (resources.includes("*")) return `${verb}${serviceWord}`;
  const labels = [...new Set(resources.map(resourceLabel))].sort((a, b) => a.length - b.length || byString(a, b));
  const label = labels.every((l) => l.startsWith(labels[0])) ? labels[0] : `${labels[0]}AndMore`;
  return `${verb}${label || serviceWord}`;
}

/** A resource's noun for a Sid: `OrdersBucket`, `OrdersBucketObjects`, `OrdersTable`, `OrdersQueue`. */
function resourceLabel(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return "";
  const dedupe = (name: string, kind: string) => (name.endsWith(kind) ? name : `${name}${kind}`);
  switch (parsed.service) {
    case "s3": {
      const [bucket, ...rest] = parsed.resource.split("/");
      const name = dedupe(pascalName(`arn:aws:s3:::${bucket}`), "Bucket");
      return rest.length > 0 ? `${name}Objects` : name;
    }
    case "dynamodb": {
      const m = /^table\/([^/]+)(\/(index|stream)\/)?/.exec(parsed.resource);
      if (!m) return pascalName(arn);
      const name = dedupe(pascalName(`arn:aws:dynamodb:r:a:table/${m[1]}`), "Table");
      return m[3] === "index" ? `${name}Indexes` : m[3] === "stream" ? `${name}Stream` : name;
    }
    case "sqs":
      return dedupe(pascalName(arn), "Queue");
    case "sns":
      return dedupe(pascalName(arn), "Topic");
    default:
      return pascalName(arn);
  }
}

/** The role's identity policies (inline and managed) merged into one document, for display. */
export function currentCombinedPolicy(index: SnapshotIndex, roleArn: string): { document: PolicyDocument; sources: string[] } {
  const role = index.roles.get(roleArn);
  const statements: PolicyStatement[] = [];
  const sources: string[] = [];
  if (role) {
    for (const inline of role.inlinePolicies) {
      sources.push(`inline ${inline.name}`);
      statements.push(...inline.document.Statement);
    }
    for (const arn of role.attachedPolicyArns) {
      const managed = index.managedPolicies.get(arn);
      sources.push(arn);
      if (managed) statements.push(...managed.document.Statement);
    }
  }
  return { document: { Version: "2012-10-17", Statement: statements }, sources };
}

/** The current combined policy as the diff's "from" text, once per role (functions share roles). */
const currentPolicyTexts = new WeakMap<SnapshotIndex, Map<string, { text: string; sources: string[] }>>();
function currentPolicyText(index: SnapshotIndex, roleArn: string): { text: string; sources: string[] } {
  let byRole = currentPolicyTexts.get(index);
  if (!byRole) currentPolicyTexts.set(index, (byRole = new Map()));
  let found = byRole.get(roleArn);
  if (!found) {
    const { document, sources } = currentCombinedPolicy(index, roleArn);
    byRole.set(roleArn, (found = { text: `${JSON.stringify(document, null, 2)}\n`, sources }));
  }
  return found;
}

function sortCanonical(actions: string[]): string[] {
  return actions
    .map((a) => {
      const name = canonicalActionName(a);
      return { name, lower: name.toLowerCase() };
    })
    .sort((a, b) => byString(a.lower, b.lower))
    .map((a) => a.name);
}

function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

/** `1 action`, `1,024 actions`. */
function plural(n: number, noun: string): string {
  // What toLocaleString("en-US") writes for a count, without its cost (ICU, once per note).
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * The distinct services of some actions, in first-seen order. The lists are mostly sorted, so a
 * service is cut out of an action only where the previous action's service ends.
 */
function servicesOf(actions: readonly string[]): string[] {
  const services = new Set<string>();
  let prefix = "";
  for (const a of actions) {
    if (prefix && a.startsWith(prefix)) continue;
    const service = a.slice(0, a.indexOf(":"));
    services.add(service);
    prefix = `${service}:`;
  }
  return [...services];
}

function listServices(actions: string[]): string {
  const services = servicesOf(actions).sort(byString);
  return services.length > 10 ? `${services.slice(0, 10).join(", ")} and ${services.length - 10} more` : services.join(", ");
}

function listActions(actions: string[]): string {
  // The first ten names in sorted order, without sorting thousands of them.
  const first: string[] = [];
  for (const a of actions) {
    const name = canonicalActionName(a);
    if (first.length === 10 && byString(name, first[9]) >= 0) continue;
    let at = first.length;
    while (at > 0 && byString(name, first[at - 1]) < 0) at--;
    first.splice(at, 0, name);
    if (first.length > 10) first.pop();
  }
  return actions.length > 10 ? `${first.join(", ")} and ${actions.length - 10} more` : first.join(", ");
}
