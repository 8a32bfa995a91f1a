/**
 * Privilege-escalation paths for one function: which known methods its effective permissions
 * make usable, against which concrete targets in the snapshot, and why each target is worth it;
 * then chains of any length through the roles those methods yield.
 *
 * Works on merged, effective grants (a path split across two policies counts; boundaries, SCPs and
 * denies are already applied), checks resources per candidate target with `decide`, checks trust
 * policies, and only reports a target that holds more than the function already has. Each method
 * family's target test lives in its checker (./checkers).
 */
import { parseArn } from "../policy/arn-match";
import { comparePrivileges, isAdminEquivalent } from "../policy/privilege";
import { describeStatement, grantsFor } from "../policy/permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import type { EffectivePermissions, EscalationPath } from "../types";
import type { LambdaFunction } from "@/lib/snapshot/types";
import type { EscalationMove } from "../graph/capabilities";
import { CHECKERS } from "./checkers";
import { byValue, EscalationContext, impactRank, newRoleMemo, type Actor, type Candidate, type EscalationImpact, type RoleMemo, type Step } from "./context";
import { ESCALATION_METHODS, type EscalationKind, type EscalationMethod } from "./methods";

export type { EscalationImpact } from "./context";

export interface EscalationInput {
  index: SnapshotIndex;
  fn: LambdaFunction;
  /** The function role's effective permissions. */
  perms: EffectivePermissions;
  /** Effective permissions of another role in the snapshot. */
  permsOf: (roleArn: string) => EffectivePermissions;
}

/** An escalation path plus how much it gains (for severity); still a plain `EscalationPath`. */
export type RankedEscalationPath = EscalationPath & {
  impact: EscalationImpact;
  /** Further usable targets beyond the one reported. */
  otherTargets: number;
};

export function findEscalationPaths(input: EscalationInput): RankedEscalationPath[] {
  const paths: RankedEscalationPath[] = [];
  if (isAdminEquivalent(input.perms)) return paths; // nothing left to escalate to
  const actor: Actor = { roleArn: input.fn.roleArn, accountId: input.fn.accountId, region: input.fn.region, fn: input.fn, perms: input.perms };
  const ctx = new EscalationContext(input.index, actor, input.permsOf, startMemo(input));
  for (const method of ESCALATION_METHODS) {
    const candidates = methodCandidates(ctx, method);
    if (candidates.length === 0) continue;
    // The first of the most valuable (a stable sort's first): the list itself may be shared.
    let best = candidates[0];
    for (const c of candidates) if (byValue(c, best) < 0) best = c;
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

/**
 * The memo the start contexts of one role's functions share (functions sharing a role share its
 * escalation work). Kept for one account at a time: a scan analyses an account's functions together.
 */
const startMemos = new WeakMap<SnapshotIndex, { accountId: string; byRole: Map<string, { perms: EffectivePermissions; memo: RoleMemo }> }>();
function startMemo(input: EscalationInput): RoleMemo {
  let memos = startMemos.get(input.index);
  if (!memos || memos.accountId !== input.fn.accountId) startMemos.set(input.index, (memos = { accountId: input.fn.accountId, byRole: new Map() }));
  let found = memos.byRole.get(input.fn.roleArn);
  if (!found || found.perms !== input.perms) memos.byRole.set(input.fn.roleArn, (found = { perms: input.perms, memo: newRoleMemo() }));
  return found.memo;
}

/** Every usable candidate of a method, or none when a required action is missing. The list may be shared: callers read it. */
function methodCandidates(ctx: EscalationContext, method: EscalationMethod): readonly Candidate[] {
  const checker = CHECKERS[method.kind];
  if (checker.readsFunction) return candidatesOf(ctx, method);
  let found = ctx.memo.candidates.get(method);
  if (!found) ctx.memo.candidates.set(method, (found = candidatesOf(ctx, method)));
  return found;
}

function candidatesOf(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  let steps = ctx.memo.prerequisites.get(method);
  if (steps === undefined) ctx.memo.prerequisites.set(method, (steps = prerequisites(ctx, method)));
  if (!steps) return [];
  return CHECKERS[method.kind].candidates(ctx, method, steps);
}

/** For each `requires` group not judged per target, one usable step on some resource; null when a group has none. */
function prerequisites(ctx: EscalationContext, method: EscalationMethod): Step[] | null {
  const targetGroups = CHECKERS[method.kind].targetGroups;
  const steps: Step[] = [];
  for (const group of method.requires.slice(targetGroups)) {
    const step = group.map((a) => ctx.stepOnSomeResource(a)).find((s) => s !== null);
    if (!step) return null;
    steps.push(step);
  }
  // sts:AssumeRole is not needed when a same-account trust policy names the role itself.
  if (method.kind === "assume-role") return steps;
  for (const group of method.requires.slice(0, targetGroups)) if (!group.some((a) => grantsFor(ctx.perms, a).length > 0)) return null;
  return steps;
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
  for (const hop of hops(start)) {
    if (visited.has(hop.to)) continue;
    visited.add(hop.to);
    parent.set(hop.to, hop);
    frontier.push({ roleArn: hop.to, ctx: contextForRole(input, hop.to) });
  }
  const reached: { roleArn: string; depth: number }[] = [];
  for (let depth = 2; depth <= MAX_CHAIN_HOPS && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { ctx } of frontier) {
      if (isAdminEquivalent(ctx.actor.perms)) continue; // an admin hop is a target already
      for (const hop of hops(ctx)) {
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

const hopCaches = new WeakMap<EscalationContext, Hop[]>();
/** Every role this role can become in one step, with the candidate that does it (all targets, not only the best). */
function hops(ctx: EscalationContext): Hop[] {
  const cached = hopCaches.get(ctx);
  if (cached) return cached;
  const best = new Map<string, Hop>();
  for (const method of ESCALATION_METHODS) {
    if (!HOP_KINDS.has(method.kind) || method.needsExisting) continue;
    for (const candidate of methodCandidates(ctx, method)) {
      const to = candidate.target ? landingRole(ctx.index, candidate.target) : null;
      if (!to || to === ctx.roleArn) continue;
      const known = best.get(to);
      if (!known || byValue(candidate, known.candidate) < 0) best.set(to, { from: ctx.roleArn, to, method: method.id, candidate });
    }
  }
  hopCaches.set(ctx, [...best.values()]);
  return [...best.values()];
}

/** The escalation context of a role reached mid-chain: its sessions are the attacker now. */
const roleContexts = new WeakMap<SnapshotIndex, Map<string, EscalationContext>>();
function contextForRole(input: EscalationInput, roleArn: string): EscalationContext {
  return roleContext(input.index, roleArn, input.permsOf, input.fn.accountId, input.fn.region);
}

function roleContext(index: SnapshotIndex, roleArn: string, permsOf: (roleArn: string) => EffectivePermissions, fallbackAccount: string, region: string): EscalationContext {
  let byRole = roleContexts.get(index);
  if (!byRole) roleContexts.set(index, (byRole = new Map()));
  let ctx = byRole.get(roleArn);
  if (!ctx) {
    const accountId = parseArn(roleArn)?.account ?? fallbackAccount;
    ctx = new EscalationContext(index, { roleArn, accountId, region, fn: null, perms: permsOf(roleArn) }, permsOf);
    byRole.set(roleArn, ctx);
  }
  return ctx;
}

/**
 * Families the reach walk follows as role moves. Taking over another function, or giving a
 * function a role, it follows through the graph's function edges already.
 */
const REACH_MOVE_KINDS: ReadonlySet<EscalationKind> = new Set(["assume-role", "other-role-policy", "other-managed-policy", "role-trust", "role-trust-and-policy", "pass-role"]);
const METHODS_BY_ID = new Map(ESCALATION_METHODS.map((m) => [m.id, m]));

/**
 * The roles a role can become in one escalation hop, as moves the permission graph draws and its
 * reach walk follows: so reach, the blast radius and the graph take the same hops as the chains,
 * each with its method and the statements that allow it.
 */
export function roleEscalationMoves(index: SnapshotIndex, roleArn: string, permsOf: (roleArn: string) => EffectivePermissions): EscalationMove[] {
  if (!index.roles.has(roleArn)) return [];
  const ctx = roleContext(index, roleArn, permsOf, parseArn(roleArn)?.account ?? "", "");
  // An administrator already holds what any other role could give it.
  if (isAdminEquivalent(ctx.perms)) return [];
  const moves: EscalationMove[] = [];
  for (const hop of hops(ctx)) {
    const method = METHODS_BY_ID.get(hop.method)!;
    if (!REACH_MOVE_KINDS.has(method.kind)) continue;
    const statements = [...new Set(hop.candidate.steps.map((s) => `${s.action} (${describeStatement(s.grantedBy)})`))];
    moves.push({
      kind: method.kind === "pass-role" ? "can-pass" : "can-assume",
      target: hop.to,
      method: method.id,
      title: method.title,
      reason: `${hop.candidate.targetReason}; allowed by ${statements.join(", ")}`,
      conditional: hop.candidate.conditional,
    });
  }
  return moves.sort((a, b) => a.target.localeCompare(b.target));
}

/** "AWS-managed policy \"X\" statement #0" for each distinct statement of a path. */
export function describePathStatements(path: EscalationPath): string[] {
  return [...new Set(path.steps.map((s) => describeStatement(s.grantedBy)))];
}
