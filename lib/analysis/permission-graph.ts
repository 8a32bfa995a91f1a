/**
 * The org-wide permission graph: edges with reasons between functions, roles, event sources and
 * resource patterns, and `reach`, the breadth-first walk of what a compromised function controls.
 *
 * Scaling: work is done once per distinct permission set (`EffectivePermissions.key`), never per
 * (function, function) pair — see target-matching.ts. A grant on `*` that matches many targets
 * is drawn as ONE edge to the pattern (with the count) rather than thousands of edges; `reach`
 * and `blastRadius` still see every target through the capability index.
 */
import { accessLevelsOf, serviceOf } from "./access-levels";
import { actionMatcher } from "./action-expansion";
import { settleConditions } from "./conditions";
import { parseArn } from "./arn-match";
import { DATA_STORE_ACTIONS, type DataAccessKind } from "./data/data-stores";
import { describeStatement, grantsFor } from "./permission-queries";
import type { SnapshotIndex } from "./snapshot-index";
import {
  candidateSet,
  forEachMatch,
  isEmptyMatch,
  matchFor,
  matchTargets,
  type CandidateSet,
  type MatchInfo,
  type TargetMatches,
} from "./target-matching";
import type { Edge, EdgeKind, EffectivePermissions, Grant, ReachedFunction } from "./types";
import type { PolicyDocument, PolicyStatement, Role } from "@/lib/snapshot/types";

/** Above this many targets, a wildcard grant is drawn as one edge to its pattern. */
export const FANOUT_LIMIT = 25;

export type TriggerVia = "sqs" | "kinesis" | "dynamodb" | "s3" | "sns";

/** Writing into these lets a principal feed events to the functions the source triggers. */
export const TRIGGER_ACTIONS: Record<TriggerVia, string[]> = {
  sqs: ["sqs:SendMessage"],
  kinesis: ["kinesis:PutRecord", "kinesis:PutRecords"],
  dynamodb: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
  s3: ["s3:PutObject"],
  sns: ["sns:Publish"],
};

/** Function-to-function capabilities, strongest first (reach prefers the strongest edge for a path). */
const FUNCTION_ACTIONS: { kind: "can-update-code" | "can-update-config" | "can-invoke"; action: string }[] = [
  { kind: "can-update-code", action: "lambda:UpdateFunctionCode" },
  { kind: "can-update-config", action: "lambda:UpdateFunctionConfiguration" },
  { kind: "can-invoke", action: "lambda:InvokeFunction" },
];

/** Edges that hand the attacker the target's role; invoke and trigger only feed it input. */
const COMPROMISING: ReadonlySet<EdgeKind> = new Set(["can-update-code", "can-update-config"]);

/** One way an event source reaches a function. */
export interface TriggerSource {
  via: TriggerVia;
  functionArn: string;
  /** The event source as configured (queue, stream, table stream, bucket, topic ARN). */
  sourceArn: string;
  /** What a principal writes to in order to fire it (queue, stream, table, `bucket/*`, topic). */
  writeTarget: string;
  /** Why the source triggers the function. */
  detail: string;
}

interface TrustEntry {
  roleArn: string;
  statementIndex: number;
  sid: string | null;
  conditional: boolean;
}

interface TriggerCandidates {
  via: TriggerVia;
  cands: CandidateSet;
  sources: Map<string, TriggerSource[]>;
}

/** Per-snapshot lookups and per-permission-set caches shared by the graph, reach and blast radius. */
/**
 * What one account's roles can act on. A Lambda function or a role is only reachable from its own
 * account (cross-account UpdateFunctionCode, UpdateFunctionConfiguration and PassRole do not exist);
 * invoke also reaches other accounts' functions whose resource policy admits this account.
 */
interface AccountScope {
  functions: CandidateSet;
  invokable: CandidateSet;
  roles: CandidateSet;
  lambdaTrustingRoles: string[];
  triggers: TriggerCandidates[];
}

interface CapabilityIndex {
  index: SnapshotIndex;
  /** Every role: assuming a role works across accounts when its trust policy says so. */
  roles: CandidateSet;
  scopes: Map<string, AccountScope>;
  lambdaTrustingRoles: Set<string>;
  triggers: TriggerCandidates[];
  /** Trust principal (role ARN, `arn:…:root`, `*`) → roles whose trust policy names it. */
  trust: Map<string, TrustEntry[]>;
  byKey: Map<string, KeyCapabilities>;
  /** `roleArn|permissions key` → roles it may assume (trust depends on the role's identity). */
  assumeByRole: Map<string, Map<string, RoleMove>>;
}

/** A role-to-role move, with what allows it. */
export interface RoleMove {
  kind: "can-pass" | "can-assume" | "can-create-with-role";
  target: string;
  action: string;
  info: MatchInfo;
  /** can-create-with-role: the Lambda action that puts the role on a function. */
  lambdaAction?: { action: string; info: MatchInfo };
  /** can-assume: the trust statement that admits the role. */
  trust?: TrustEntry;
  conditional: boolean;
}

/** What one permission set can do to functions through one action. */
export interface FunctionCapability {
  kind: "can-update-code" | "can-update-config" | "can-invoke" | "can-trigger-via";
  via?: TriggerVia;
  action: string;
  matches: TargetMatches;
  cands: CandidateSet;
  trigger?: TriggerCandidates;
}

interface KeyCapabilities {
  functionCaps: FunctionCapability[];
  pass: TargetMatches;
  createWithRole: Map<string, RoleMove>;
  /** Role → resource-pattern edges (from = placeholder), built on first use. */
  resourceEdges: Omit<Edge, "from">[] | null;
}

const capabilityIndexes = new WeakMap<SnapshotIndex, CapabilityIndex>();

function nameOf(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const resource = parsed.resource;
  const cut = Math.max(resource.lastIndexOf("/"), parsed.service === "lambda" || parsed.service === "sns" || parsed.service === "sqs" ? resource.lastIndexOf(":") : -1);
  return cut >= 0 && cut < resource.length - 1 ? resource.slice(cut + 1) : resource || arn;
}

function shortName(arn: string): string {
  if (arn.startsWith("arn:aws:s3:::")) return arn.slice("arn:aws:s3:::".length);
  if (arn.includes(":table/")) return arn.slice(arn.indexOf(":table/") + 7);
  return nameOf(arn);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Does the statement's Action (or NotAction) cover `wanted`? The one action matcher identity
 * policies use, so `lambda:Invoke*` in a resource policy counts like it does in a role's policy.
 */
function statementAllowsAction(statement: PolicyStatement, wanted: string): boolean {
  const notAction = statement.NotAction !== undefined;
  return actionMatcher(notAction ? statement.NotAction : statement.Action, notAction).has(wanted);
}

/** SourceArn values of a resource-policy statement (ArnLike / ArnEquals / StringEquals / StringLike). */
function sourceArns(condition: Record<string, Record<string, unknown>> | undefined): string[] {
  if (!condition) return [];
  const out: string[] = [];
  for (const [operator, keys] of Object.entries(condition)) {
    if (!/^(ForAnyValue:|ForAllValues:)?(ArnLike|ArnEquals|StringEquals|StringLike)(IfExists)?$/i.test(operator)) continue;
    for (const [key, value] of Object.entries(keys)) {
      if (key.toLowerCase() !== "aws:sourcearn") continue;
      for (const v of asArray(value as string | string[])) if (typeof v === "string") out.push(v);
    }
  }
  return out;
}

function servicePrincipals(principal: PolicyDocument["Statement"][number]["Principal"]): string[] {
  if (!principal || principal === "*") return [];
  return asArray(principal.Service).map((s) => s.toLowerCase());
}

function streamOwner(via: "kinesis" | "dynamodb", sourceArn: string): string {
  // DynamoDB stream ARN = table ARN + `/stream/<label>`; Kinesis consumer ARN = stream ARN + `/consumer/…`.
  const marker = via === "dynamodb" ? "/stream/" : "/consumer/";
  const i = sourceArn.indexOf(marker);
  return i < 0 ? sourceArn : sourceArn.slice(0, i);
}

function buildTriggerCandidates(index: SnapshotIndex): TriggerCandidates[] {
  const byVia = new Map<TriggerVia, Map<string, TriggerSource[]>>();
  const add = (source: TriggerSource) => {
    let sources = byVia.get(source.via);
    if (!sources) byVia.set(source.via, (sources = new Map()));
    const list = sources.get(source.writeTarget);
    if (list) list.push(source);
    else sources.set(source.writeTarget, [source]);
  };
  for (const [sourceArn, mappings] of index.mappingsBySource) {
    const service = parseArn(sourceArn)?.service;
    if (service !== "sqs" && service !== "kinesis" && service !== "dynamodb") continue;
    for (const m of mappings) {
      const writeTarget = service === "sqs" ? sourceArn : streamOwner(service, sourceArn);
      add({
        via: service,
        functionArn: m.functionArn,
        sourceArn,
        writeTarget,
        detail: `event source mapping ${m.uuid} delivers ${shortName(sourceArn)} records to ${shortName(m.functionArn)}`,
      });
    }
  }
  for (const fn of index.functions.values()) {
    (fn.resourcePolicy?.Statement ?? []).forEach((s, i) => {
      if (s.Effect !== "Allow" || !statementAllowsAction(s, "lambda:invokefunction")) return;
      for (const service of servicePrincipals(s.Principal)) {
        const via: TriggerVia | null = service === "s3.amazonaws.com" ? "s3" : service === "sns.amazonaws.com" ? "sns" : null;
        if (!via) continue;
        const sid = s.Sid ? ` (Sid ${s.Sid})` : "";
        for (const source of sourceArns(s.Condition as Record<string, Record<string, unknown>> | undefined)) {
          add({
            via,
            functionArn: fn.arn,
            sourceArn: source,
            writeTarget: via === "s3" ? `${source}/*` : source,
            detail: `${shortName(fn.arn)}'s resource policy statement #${i}${sid} lets ${service} invoke it for ${shortName(source)}`,
          });
        }
      }
    });
  }
  return [...byVia].map(([via, sources]) => ({
    via,
    sources,
    // Bucket and topic ARNs in SourceArn conditions may themselves be patterns.
    cands: candidateSet(`trigger:${via}`, sources.keys(), via === "s3" || via === "sns" ? "overlap" : "exact"),
  }));
}

function buildTrust(roles: Iterable<Role>): { trust: Map<string, TrustEntry[]>; lambdaTrusting: Set<string> } {
  const trust = new Map<string, TrustEntry[]>();
  const lambdaTrusting = new Set<string>();
  for (const role of roles) {
    const partition = parseArn(role.arn)?.partition ?? "aws";
    role.assumeRolePolicy.Statement.forEach((s, i) => {
      if (s.Effect !== "Allow" || !statementAllowsAction(s, "sts:assumerole")) return;
      // A statement no role session can meet (MFA required, a token issued long ago) admits no one.
      if (settleConditions(s.Condition, { roleSessionOwnCall: true }).outcome === "false") return;
      if (servicePrincipals(s.Principal).includes("lambda.amazonaws.com")) lambdaTrusting.add(role.arn);
      const principals = s.Principal === "*" ? ["*"] : s.Principal ? asArray(s.Principal.AWS) : [];
      for (const p of principals) {
        // A bare account id in a trust policy means that account's root.
        const key = /^\d{12}$/.test(p) ? `arn:${partition}:iam::${p}:root` : p;
        const entry = { roleArn: role.arn, statementIndex: i, sid: s.Sid ?? null, conditional: s.Condition !== undefined };
        const list = trust.get(key);
        if (list) list.push(entry);
        else trust.set(key, [entry]);
      }
    });
  }
  return { trust, lambdaTrusting };
}

/** The shared per-snapshot capability index (built once per SnapshotIndex). */
function capabilityIndex(index: SnapshotIndex): CapabilityIndex {
  let found = capabilityIndexes.get(index);
  if (!found) {
    const { trust, lambdaTrusting } = buildTrust(index.roles.values());
    found = {
      index,
      roles: candidateSet("roles", index.roles.keys()),
      scopes: new Map(),
      lambdaTrustingRoles: lambdaTrusting,
      triggers: buildTriggerCandidates(index),
      trust,
      byKey: new Map(),
      assumeByRole: new Map(),
    };
    capabilityIndexes.set(index, found);
  }
  return found;
}

const accountOf = (arn: string): string => arn.split(":")[4] ?? "";

/** Does this resource-policy statement let principals of `account` invoke the function? */
function admitsAccount(statement: PolicyStatement, account: string): boolean {
  if (statement.Effect !== "Allow" || !statementAllowsAction(statement, "lambda:invokefunction")) return false;
  if (statement.Principal === "*") return true;
  const aws = statement.Principal ? asArray(statement.Principal.AWS) : [];
  return aws.some((p) => p === "*" || p === account || accountOf(p) === account);
}

function scopeFor(ci: CapabilityIndex, account: string): AccountScope {
  let scope = ci.scopes.get(account);
  if (!scope) {
    const own = [...ci.index.functions.values()].filter((f) => f.accountId === account);
    const admitted = [...ci.index.functions.values()].filter((f) => f.accountId !== account && (f.resourcePolicy?.Statement ?? []).some((st) => admitsAccount(st, account)));
    scope = {
      functions: candidateSet(`functions:${account}`, own.map((f) => f.arn)),
      invokable: candidateSet(`invokable:${account}`, [...own, ...admitted].map((f) => f.arn)),
      roles: candidateSet(`roles:${account}`, [...ci.index.roles.keys()].filter((r) => accountOf(r) === account)),
      lambdaTrustingRoles: [...ci.lambdaTrustingRoles].filter((r) => accountOf(r) === account),
      // Buckets carry no account in their ARN: a bucket trigger belongs to the function's account.
      triggers: ci.triggers.flatMap((t) => {
        const sources = new Map([...t.sources].flatMap(([target, list]) => {
          const kept = list.filter((src) => (accountOf(src.sourceArn) || accountOf(src.functionArn)) === account);
          return kept.length ? [[target, kept] as const] : [];
        }));
        return sources.size ? [{ via: t.via, sources, cands: candidateSet(`trigger:${t.via}:${account}`, sources.keys(), t.cands.mode) }] : [];
      }),
    };
    ci.scopes.set(account, scope);
  }
  return scope;
}

function keyCapabilities(ci: CapabilityIndex, perms: EffectivePermissions, account: string): KeyCapabilities {
  const cacheKey = `${perms.key}|${account}`;
  let found = ci.byKey.get(cacheKey);
  if (found) return found;
  const scope = scopeFor(ci, account);
  const functionCaps: FunctionCapability[] = [];
  for (const { kind, action } of FUNCTION_ACTIONS) {
    const cands = kind === "can-invoke" ? scope.invokable : scope.functions;
    const matches = matchTargets(perms, action.toLowerCase(), cands);
    if (!isEmptyMatch(matches)) functionCaps.push({ kind, action, matches, cands });
  }
  for (const trigger of scope.triggers) {
    for (const action of TRIGGER_ACTIONS[trigger.via]) {
      const matches = matchTargets(perms, action.toLowerCase(), trigger.cands);
      if (!isEmptyMatch(matches)) functionCaps.push({ kind: "can-trigger-via", via: trigger.via, action, matches, cands: trigger.cands, trigger });
    }
  }
  const pass = matchTargets(perms, "iam:passrole", scope.roles);
  const createWithRole = new Map<string, RoleMove>();
  if (!isEmptyMatch(pass)) {
    // Passing a role is only useful with a Lambda action that puts it on a function.
    const lambdaAction = ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"]
      .map((action) => ({ action, grants: grantsFor(perms, action.toLowerCase()) }))
      .find((a) => a.grants.length > 0);
    if (lambdaAction) {
      const g = lambdaAction.grants.find((x) => x.conditions === null) ?? lambdaAction.grants[0];
      const lambdaInfo: MatchInfo = { grant: g, pattern: g.resources.join(", ") || "*", conditional: g.conditions !== null };
      for (const roleArn of scope.lambdaTrustingRoles) {
        const info = matchFor(pass, roleArn);
        if (!info) continue;
        createWithRole.set(roleArn, {
          kind: "can-create-with-role",
          target: roleArn,
          action: "iam:PassRole",
          info,
          lambdaAction: { action: lambdaAction.action, info: lambdaInfo },
          conditional: info.conditional || lambdaInfo.conditional,
        });
      }
    }
  }
  found = { functionCaps, pass, createWithRole, resourceEdges: null };
  ci.byKey.set(cacheKey, found);
  return found;
}

/** Roles this role may assume: `sts:AssumeRole` allowed AND the target's trust policy admits it. */
function assumeMoves(ci: CapabilityIndex, roleArn: string, perms: EffectivePermissions): Map<string, RoleMove> {
  const cacheKey = `${roleArn}|${perms.key}`;
  let found = ci.assumeByRole.get(cacheKey);
  if (found) return found;
  found = new Map();
  if (grantsFor(perms, "sts:assumerole").length > 0) {
    const parsed = parseArn(roleArn);
    const keys = [roleArn, "*"];
    if (parsed) keys.push(`arn:${parsed.partition}:iam::${parsed.account}:root`);
    const matches = matchTargets(perms, "sts:assumerole", ci.roles);
    for (const key of keys) {
      for (const entry of ci.trust.get(key) ?? []) {
        if (entry.roleArn === roleArn) continue;
        const info = matchFor(matches, entry.roleArn);
        if (!info) continue;
        const conditional = info.conditional || entry.conditional;
        const existing = found.get(entry.roleArn);
        if (existing && !existing.conditional) continue;
        found.set(entry.roleArn, { kind: "can-assume", target: entry.roleArn, action: "sts:AssumeRole", info, trust: entry, conditional });
      }
    }
  }
  ci.assumeByRole.set(cacheKey, found);
  return found;
}

/** Everything one role can do to other functions and roles, shared by graph, reach and blast radius. */
export interface RoleCapabilities {
  roleArn: string;
  functionCaps: FunctionCapability[];
  pass: TargetMatches;
  passCandidates: CandidateSet;
  createWithRole: Map<string, RoleMove>;
  assume: Map<string, RoleMove>;
}

export function roleCapabilities(index: SnapshotIndex, roleArn: string, perms: EffectivePermissions): RoleCapabilities {
  const ci = capabilityIndex(index);
  const caps = keyCapabilities(ci, perms, accountOf(roleArn));
  return {
    roleArn,
    functionCaps: caps.functionCaps,
    pass: caps.pass,
    passCandidates: scopeFor(ci, accountOf(roleArn)).roles,
    createWithRole: caps.createWithRole,
    assume: assumeMoves(ci, roleArn, perms),
  };
}

/** Roles in the snapshot the permissions may pass (`iam:PassRole`). */
export function passableRoles(caps: RoleCapabilities): string[] {
  const out: string[] = [];
  forEachMatch(caps.pass, caps.passCandidates, (arn) => {
    if (arn !== caps.roleArn) out.push(arn);
  });
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Reasons

function conditionWords(conditional: boolean): string {
  return conditional ? ", only when its conditions hold" : "";
}

function grantWords(info: MatchInfo): string {
  return `${describeStatement(info.grant.source)} allows it on ${info.pattern}${conditionWords(info.conditional)}`;
}

function functionEdge(from: string, holderRole: string, cap: FunctionCapability, target: string, info: MatchInfo, source?: TriggerSource): Edge {
  if (source) {
    return {
      from,
      to: source.functionArn,
      kind: "can-trigger-via",
      via: source.via,
      reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${target} (${grantWords(info)}), and ${source.detail}.`,
      shortReason: `${cap.action} → ${shortName(source.sourceArn)}`,
      conditional: info.conditional,
    };
  }
  return {
    from,
    to: target,
    kind: cap.kind,
    reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${target} (${grantWords(info)}).`,
    shortReason: `${cap.action} → ${shortName(target)}`,
    conditional: info.conditional,
  };
}

function roleEdge(from: string, move: RoleMove): Edge {
  const target = move.target;
  let reason: string;
  if (move.kind === "can-assume" && move.trust) {
    const sid = move.trust.sid ? ` (Sid ${move.trust.sid})` : "";
    reason = `Role ${shortName(from)} may call sts:AssumeRole on ${target} (${grantWords(move.info)}), and ${shortName(target)}'s trust policy statement #${move.trust.statementIndex}${sid} admits it${conditionWords(move.trust.conditional)}.`;
  } else if (move.kind === "can-create-with-role" && move.lambdaAction) {
    reason = `Role ${shortName(from)} may pass ${target} (${grantWords(move.info)}) and call ${move.lambdaAction.action} (${grantWords(move.lambdaAction.info)}); ${shortName(target)} trusts lambda.amazonaws.com, so a function it creates or reconfigures runs with that role.`;
  } else {
    reason = `Role ${shortName(from)} may call iam:PassRole on ${target} (${grantWords(move.info)}).`;
  }
  const short = move.kind === "can-assume" ? "sts:AssumeRole" : move.kind === "can-create-with-role" ? `PassRole + ${move.lambdaAction?.action}` : "iam:PassRole";
  return { from, to: target, kind: move.kind, reason, shortReason: `${short} → ${shortName(target)}`, conditional: move.conditional };
}

function executesAsEdge(fnArn: string, roleArn: string): Edge {
  return {
    from: fnArn,
    to: roleArn,
    kind: "executes-as",
    reason: `Function ${shortName(fnArn)} runs with the permissions of its execution role ${roleArn}.`,
    shortReason: "runs as",
    conditional: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawable edges (with fan-out collapsed)

interface GroupedTargets {
  info: MatchInfo;
  targets: { target: string; info: MatchInfo; source?: TriggerSource }[];
}

/** Group a capability's targets by (grant, pattern) so a wide wildcard becomes one edge. */
function groupTargets(cap: FunctionCapability): GroupedTargets[] {
  const groups = new Map<Grant, Map<string, GroupedTargets>>();
  forEachMatch(cap.matches, cap.cands, (candidate, info) => {
    let byPattern = groups.get(info.grant);
    if (!byPattern) groups.set(info.grant, (byPattern = new Map()));
    let group = byPattern.get(info.pattern);
    if (!group) byPattern.set(info.pattern, (group = { info, targets: [] }));
    if (cap.trigger) {
      for (const source of cap.trigger.sources.get(candidate) ?? []) group.targets.push({ target: candidate, info, source });
    } else group.targets.push({ target: candidate, info });
  });
  return [...groups.values()].flatMap((m) => [...m.values()]);
}

function isWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function functionEdgeTemplates(holderRole: string, caps: RoleCapabilities): Edge[] {
  const out: Edge[] = [];
  for (const cap of caps.functionCaps) {
    for (const group of groupTargets(cap)) {
      if (group.targets.length > FANOUT_LIMIT && isWildcard(group.info.pattern)) {
        const noun = cap.kind === "can-trigger-via" ? `${cap.via} event sources of ${group.targets.length} functions` : `${group.targets.length} functions`;
        out.push({
          from: "",
          to: group.info.pattern,
          kind: cap.kind,
          ...(cap.via ? { via: cap.via } : {}),
          reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${group.info.pattern}, covering ${noun} (${grantWords(group.info)}).`,
          shortReason: `${cap.action} → ${group.info.pattern} (${group.targets.length})`,
          conditional: group.info.conditional,
        });
        continue;
      }
      for (const t of group.targets) out.push(functionEdge("", holderRole, cap, t.target, t.info, t.source));
    }
  }
  return out;
}

function roleEdgeList(roleArn: string, caps: RoleCapabilities): Edge[] {
  const out: Edge[] = [];
  // can-pass: collapse a wide wildcard like function edges.
  const passGroups = new Map<string, { info: MatchInfo; targets: string[] }>();
  forEachMatch(caps.pass, caps.passCandidates, (target, info) => {
    if (target === roleArn) return;
    const key = `${describeStatement(info.grant.source)}|${info.pattern}`;
    let g = passGroups.get(key);
    if (!g) passGroups.set(key, (g = { info, targets: [] }));
    g.targets.push(target);
  });
  for (const { info, targets } of passGroups.values()) {
    if (targets.length > FANOUT_LIMIT && isWildcard(info.pattern)) {
      out.push({
        from: roleArn,
        to: info.pattern,
        kind: "can-pass",
        reason: `Role ${shortName(roleArn)} may call iam:PassRole on ${info.pattern}, covering ${targets.length} roles (${grantWords(info)}).`,
        shortReason: `iam:PassRole → ${info.pattern} (${targets.length})`,
        conditional: info.conditional,
      });
    } else {
      for (const target of targets) out.push(roleEdge(roleArn, { kind: "can-pass", target, action: "iam:PassRole", info, conditional: info.conditional }));
    }
  }
  const createGroups = new Map<string, RoleMove[]>();
  for (const move of caps.createWithRole.values()) {
    if (move.target === roleArn) continue;
    const key = `${describeStatement(move.info.grant.source)}|${move.info.pattern}`;
    const list = createGroups.get(key);
    if (list) list.push(move);
    else createGroups.set(key, [move]);
  }
  for (const moves of createGroups.values()) {
    const { info, lambdaAction } = moves[0];
    if (moves.length > FANOUT_LIMIT && isWildcard(info.pattern) && lambdaAction) {
      out.push({
        from: roleArn,
        to: info.pattern,
        kind: "can-create-with-role",
        reason: `Role ${shortName(roleArn)} may pass any of ${moves.length} roles that trust lambda.amazonaws.com (${grantWords(info)}) and call ${lambdaAction.action} (${grantWords(lambdaAction.info)}), so a function it creates or reconfigures runs with any of them.`,
        shortReason: `PassRole + ${lambdaAction.action} → ${info.pattern} (${moves.length})`,
        conditional: moves.every((m) => m.conditional),
      });
    } else for (const move of moves) out.push(roleEdge(roleArn, move));
  }
  for (const move of caps.assume.values()) out.push(roleEdge(roleArn, move));
  return out;
}

/** Role → resource pattern edges: data-store read/write/delete and permissions management, per service + pattern. */
interface ResourceAction {
  action: string;
  store: ReturnType<typeof DATA_STORE_ACTIONS.get>;
  manages: boolean;
}

/** The data-store and permissions-management actions of an actions array, once per (shared) array: `*` expands to 22k actions. */
const resourceActionsOf = (() => {
  const cache = new WeakMap<readonly string[], ResourceAction[]>();
  return (actions: readonly string[]): ResourceAction[] => {
    let found = cache.get(actions);
    if (!found) {
      found = [];
      for (const action of actions) {
        const store = DATA_STORE_ACTIONS.get(action);
        const manages = accessLevelsOf(action).includes("Permissions management");
        if (store || manages) found.push({ action, store, manages });
      }
      cache.set(actions, found);
    }
    return found;
  };
})();

function resourceEdgeTemplates(perms: EffectivePermissions): Omit<Edge, "from">[] {
  const groups = new Map<string, { kind: EdgeKind; service: string; pattern: string; actions: Set<string>; statements: Set<string>; conditional: boolean }>();
  const add = (kind: EdgeKind, service: string, pattern: string, action: string, grant: Grant) => {
    const key = `${kind}|${service}|${pattern}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, service, pattern, actions: new Set(), statements: new Set(), conditional: true }));
    g.actions.add(action);
    g.statements.add(describeStatement(grant.source));
    if (grant.conditions === null) g.conditional = false;
  };
  const dataKinds: Record<DataAccessKind, EdgeKind> = { read: "can-read", write: "can-write", delete: "can-delete" };
  for (const grant of perms.grants) {
    for (const { action, store, manages } of resourceActionsOf(grant.actions)) {
      const service = store?.entry.store ?? serviceOf(action);
      const arnServices = store?.entry.arnServices ?? [serviceOf(action)];
      for (const pattern of resourcePatternsFor(grant, arnServices)) {
        if (store) for (const kind of store.kinds) add(dataKinds[kind], service, pattern, action, grant);
        if (manages) add("can-manage", serviceOf(action), pattern, action, grant);
      }
    }
  }
  const verbs: Partial<Record<EdgeKind, string>> = { "can-read": "read", "can-write": "write", "can-delete": "delete", "can-manage": "change permissions of" };
  return [...groups.values()].map((g) => {
    const actions = [...g.actions].sort();
    const shown = actions.length > 4 ? `${actions.slice(0, 4).join(", ")} and ${actions.length - 4} more` : actions.join(", ");
    return {
      to: g.pattern,
      kind: g.kind,
      reason: `May ${verbs[g.kind]} ${g.service} resources matching ${g.pattern} with ${shown} (${[...g.statements].join("; ")})${conditionWords(g.conditional)}.`,
      shortReason: `${g.service} ${verbs[g.kind]}`,
      conditional: g.conditional,
    };
  });
}

/**
 * The grant's resource patterns that can apply to these ARN services (`*`, wildcard-service
 * patterns, or patterns of that service). A NotResource grant reads as `*`.
 */
export function resourcePatternsFor(grant: Grant, arnServices: string[]): string[] {
  if (grant.notResources) return ["*"];
  return grant.resources.filter((pattern) => {
    if (pattern === "*") return true;
    const service = pattern.split(":")[2];
    if (service === undefined) return true;
    if (/[*?]/.test(service)) return true;
    return arnServices.includes(service);
  });
}

// ---------------------------------------------------------------------------------------------
// Graph

export interface PermissionGraph {
  edges: Edge[];
  /** Node id → edges leaving it. */
  outgoing: Map<string, Edge[]>;
  /** Node id → edges arriving at it. */
  incoming: Map<string, Edge[]>;
  index: SnapshotIndex;
  /** Effective permissions of a role, memoized; null when the role is not in the snapshot. */
  permsOf(roleArn: string): EffectivePermissions | null;
  /** Capabilities of a role (shared per permission set). */
  capabilitiesOf(roleArn: string): RoleCapabilities | null;
}

/**
 * Build the org-wide permission graph. Call `await loadAccessLevels()` first: the can-manage
 * edges read access levels synchronously.
 */
export function buildPermissionGraph(index: SnapshotIndex, permsOf: (roleArn: string) => EffectivePermissions): PermissionGraph {
  const permsMemo = new Map<string, EffectivePermissions | null>();
  const memoPerms = (roleArn: string): EffectivePermissions | null => {
    if (permsMemo.has(roleArn)) return permsMemo.get(roleArn)!;
    const perms = index.roles.has(roleArn) ? permsOf(roleArn) : null;
    permsMemo.set(roleArn, perms);
    return perms;
  };
  const capsMemo = new Map<string, RoleCapabilities | null>();
  const capabilitiesOf = (roleArn: string): RoleCapabilities | null => {
    if (capsMemo.has(roleArn)) return capsMemo.get(roleArn)!;
    const perms = memoPerms(roleArn);
    const caps = perms ? roleCapabilities(index, roleArn, perms) : null;
    capsMemo.set(roleArn, caps);
    return caps;
  };

  const ci = capabilityIndex(index);
  const edges: Edge[] = [];

  // Function → role, and function → function (templates shared by functions with the same permissions).
  const fnTemplatesByKey = new Map<string, Edge[]>();
  for (const fn of index.functions.values()) {
    edges.push(executesAsEdge(fn.arn, fn.roleArn));
    const perms = memoPerms(fn.roleArn);
    const caps = capabilitiesOf(fn.roleArn);
    if (!perms || !caps) continue;
    // Reasons name the role, so the template key is (role, permission set).
    const templateKey = `${fn.roleArn}|${perms.key}`;
    let templates = fnTemplatesByKey.get(templateKey);
    if (!templates) fnTemplatesByKey.set(templateKey, (templates = functionEdgeTemplates(fn.roleArn, caps)));
    for (const t of templates) if (t.to !== fn.arn) edges.push({ ...t, from: fn.arn });
  }

  // Role → role and role → resource pattern.
  for (const roleArn of index.roles.keys()) {
    const perms = memoPerms(roleArn);
    const caps = capabilitiesOf(roleArn);
    if (!perms || !caps) continue;
    edges.push(...roleEdgeList(roleArn, caps));
    const keyCaps = keyCapabilities(ci, perms, accountOf(roleArn));
    keyCaps.resourceEdges ??= resourceEdgeTemplates(perms);
    for (const t of keyCaps.resourceEdges) edges.push({ ...t, from: roleArn });
  }

  // Event source → function.
  for (const trigger of ci.triggers) {
    for (const sources of trigger.sources.values()) {
      for (const s of sources) {
        edges.push({
          from: s.sourceArn,
          to: s.functionArn,
          kind: "triggers",
          via: s.via,
          reason: `${s.detail[0].toUpperCase()}${s.detail.slice(1)}.`,
          shortReason: `${s.via} trigger`,
          conditional: false,
        });
      }
    }
  }

  const outgoing = new Map<string, Edge[]>();
  const incoming = new Map<string, Edge[]>();
  for (const e of edges) {
    pushTo(outgoing, e.from, e);
    pushTo(incoming, e.to, e);
  }
  return { edges, outgoing, incoming, index, permsOf: memoPerms, capabilitiesOf };
}

function pushTo(map: Map<string, Edge[]>, key: string, edge: Edge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
}

// ---------------------------------------------------------------------------------------------
// Reach

/**
 * One step of a walk. Edges are built only when a path through the step is asked for, with the
 * walk's start function (a walk is shared by the functions of one role).
 */
interface Step {
  parent: Step | null;
  hops: number;
  /**
   * What the edge is made from. Plain data, not a closure: a closure would keep the whole walk
   * (its maps share the closure's context) alive for as long as the step is cached.
   */
  move:
    | { kind: "function"; holderFn: string | null; holderRole: string; cap: FunctionCapability; candidate: string; info: MatchInfo; source: TriggerSource | undefined }
    | { kind: "executes-as"; holderFn: string; holderRole: string }
    | { kind: "role"; holderRole: string; move: RoleMove };
  path?: Edge[];
  pathFor?: string;
}

function edgeOf(step: Step, startFn: string): Edge {
  const m = step.move;
  const fn = (holderFn: string | null) => (holderFn === START ? startFn : holderFn);
  switch (m.kind) {
    case "function":
      return functionEdge(fn(m.holderFn) ?? m.holderRole, m.holderRole, m.cap, m.candidate, m.info, m.source);
    case "executes-as":
      return executesAsEdge(fn(m.holderFn)!, m.holderRole);
    case "role":
      return roleEdge(m.holderRole, m.move);
  }
}

function pathOf(step: Step | null, startFn: string): Edge[] {
  if (!step) return [];
  if (step.pathFor !== startFn) {
    step.path = [...pathOf(step.parent, startFn), edgeOf(step, startFn)];
    step.pathFor = startFn;
  }
  return step.path!;
}

/** Stands for "the function the walk starts from" in a walk shared by a role's functions. */
const START = "\u0000start";

interface Holder {
  /** Function whose identity is used (START for the start function), or null for a role obtained by assume / create-with-role. */
  fnArn: string | null;
  roleArn: string;
  step: Step | null;
}

/** A walk from one role: what any of its functions reaches (the function itself still to be removed). */
interface RoleWalk {
  reached: Map<string, Step>;
  rolesReached: Map<string, Step>;
  compromised: Set<string>;
}

/** Recent walks per graph: a few, because an admin role's walk holds every function. */
const WALK_CACHE_SIZE = 8;
const walkCaches = new WeakMap<PermissionGraph, Map<string, RoleWalk>>();

function walkFromRole(graph: PermissionGraph, startRole: string, maxHops: number): RoleWalk {
  let cache = walkCaches.get(graph);
  if (!cache) walkCaches.set(graph, (cache = new Map()));
  const key = `${startRole}|${maxHops}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // Insertion order is discovery order, which in a breadth-first walk is nondecreasing hops.
  const reached = new Map<string, Step>();
  const rolesReached = new Map<string, Step>();
  const expandedRoles = new Set<string>();
  // A role's first queue entry is its shortest; later ones would only be skipped.
  const queuedRoles = new Set<string>([startRole]);
  const compromised = new Set<string>();
  const queue: Holder[] = [{ fnArn: START, roleArn: startRole, step: null }];
  const totalFunctions = graph.index.functions.size;
  const otherRoles = graph.index.roles.size - (graph.index.roles.has(startRole) ? 1 : 0);

  // Capabilities are shared per permission set. In a breadth-first walk the first holder to use
  // one reaches every target of it at the fewest hops; a later holder of the same set adds nothing.
  const usedFunctionCaps = new Set<readonly FunctionCapability[]>();
  const usedCreateMoves = new Set<Map<string, RoleMove>>();
  for (let head = 0; head < queue.length; head++) {
    const h = queue[head];
    const holderHops = h.step?.hops ?? 0;
    if (holderHops >= maxHops || expandedRoles.has(h.roleArn)) continue;
    expandedRoles.add(h.roleArn);
    const caps = graph.capabilitiesOf(h.roleArn);
    if (!caps) continue;
    const hops = holderHops + 1;
    // Once every function is compromised (an admin-like role on the way), function moves add nothing.
    const functionsSaturated = compromised.size >= totalFunctions || usedFunctionCaps.has(caps.functionCaps);
    usedFunctionCaps.add(caps.functionCaps);

    for (const cap of functionsSaturated ? [] : caps.functionCaps) {
      const compromising = COMPROMISING.has(cap.kind);
      const visit = (fn: string, candidate: string, info: MatchInfo, source: TriggerSource | undefined) => {
        if (fn === h.fnArn) return;
        const known = reached.get(fn);
        const needsCompromise = compromising && !compromised.has(fn);
        if (known && !needsCompromise) return;
        const step: Step = { parent: h.step, hops, move: { kind: "function", holderFn: h.fnArn, holderRole: h.roleArn, cap, candidate, info, source } };
        if (!known) reached.set(fn, step);
        if (!needsCompromise) return;
        compromised.add(fn);
        const target = graph.index.functions.get(fn);
        if (!target) return;
        // Taking over a function hands over its role.
        if (target.roleArn !== startRole && !rolesReached.has(target.roleArn)) rolesReached.set(target.roleArn, step);
        if (!queuedRoles.has(target.roleArn)) {
          queuedRoles.add(target.roleArn);
          queue.push({ fnArn: fn, roleArn: target.roleArn, step });
        }
      };
      forEachMatch(cap.matches, cap.cands, (candidate, info) => {
        if (!cap.trigger) return visit(candidate, candidate, info, undefined);
        for (const source of cap.trigger.sources.get(candidate) ?? []) visit(source.functionArn, candidate, info, source);
      });
    }

    const rolesSaturated = rolesReached.size >= otherRoles;
    const createMoves = usedCreateMoves.has(caps.createWithRole) ? [] : [caps.createWithRole];
    usedCreateMoves.add(caps.createWithRole);
    for (const moves of rolesSaturated ? [] : [caps.assume, ...createMoves]) {
      for (const move of moves.values()) {
        if (rolesReached.has(move.target) || queuedRoles.has(move.target)) continue;
        // From a function, the path shows it runs as the role that makes the move.
        const parent: Step | null = h.fnArn
          ? { parent: h.step, hops: holderHops, move: { kind: "executes-as", holderFn: h.fnArn, holderRole: h.roleArn } }
          : h.step;
        const step: Step = { parent, hops, move: { kind: "role", holderRole: h.roleArn, move } };
        rolesReached.set(move.target, step);
        queuedRoles.add(move.target);
        queue.push({ fnArn: null, roleArn: move.target, step });
      }
    }
  }

  const walk = { reached, rolesReached, compromised };
  cache.set(key, walk);
  if (cache.size > WALK_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return walk;
}

/** What a walk from one function reached. */
export interface ReachResult {
  /** Functions taken over (code or configuration) first, then by hops; at most `limit`, each with one shortest path. */
  functions: ReachedFunction[];
  /** Every function reached, including those past `limit`. */
  functionCount: number;
  /** Roles whose permissions the attacker ends up holding (its own role excluded), nearest first, at most `limit`. */
  roles: { arn: string; hops: number; path: Edge[] }[];
  roleCount: number;
}

/**
 * What a compromised function reaches within `maxHops` moves. It controls its role's permissions;
 * updating another function's code or configuration compromises that function (and its role);
 * assuming a role, or passing a Lambda-trusting role into a function it creates or reconfigures,
 * hands over that role. Invoking a function or writing into its event source only feeds it input:
 * the function counts as reached but the walk does not continue through it.
 *
 * Cost follows the roles expanded, not pairs of functions: functions sharing an expanded role are
 * not expanded again, a walk stops looking at function moves once every function is compromised,
 * and edges and paths are only built for the `limit` nearest results (an admin role reaches every
 * function, and 10,000 paths per function is more than any report shows).
 */
export function reachDetailed(graph: PermissionGraph, functionArn: string, maxHops = 5, limit = Number.POSITIVE_INFINITY): ReachResult {
  const start = graph.index.functions.get(functionArn);
  if (!start) return { functions: [], functionCount: 0, roles: [], roleCount: 0 };
  const walk = Number.isFinite(limit) ? compactWalk(graph, start.roleArn, maxHops, limit) : compact(walkFromRole(graph, start.roleArn, maxHops), limit, null);
  return {
    functions: walk.functions
      .filter(([arn]) => arn !== functionArn)
      .slice(0, limit)
      .map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn) })),
    functionCount: walk.functionCount - (walk.ownReached.has(functionArn) ? 1 : 0),
    roles: walk.roles.map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn) })),
    roleCount: walk.roleCount,
  };
}

/** What a listing needs from a role's walk: the first entries and the counts, small enough to keep for every role. */
interface CompactWalk {
  /** First `limit + 1` functions (one more, in case the start function itself is among them). */
  functions: [string, Step][];
  functionCount: number;
  /** Whether the walk reaches a function of the start role (each is left out of its own result). */
  ownReached: Pick<Set<string>, "has">;
  roles: [string, Step][];
  roleCount: number;
}

const compactCaches = new WeakMap<PermissionGraph, Map<string, CompactWalk>>();

/** `ownFunctions`: the start role's functions, to keep only their membership; null keeps the whole walk's. */
function compact(walk: RoleWalk, limit: number, ownFunctions: { arn: string }[] | null): CompactWalk {
  return {
    functions: firstEntries(walk.reached, limit + 1, walk.compromised, null),
    functionCount: walk.reached.size,
    ownReached: ownFunctions ? new Set(ownFunctions.map((f) => f.arn).filter((arn) => walk.reached.has(arn))) : walk.reached,
    roles: firstEntries(walk.rolesReached, limit, null, null),
    roleCount: walk.rolesReached.size,
  };
}

function compactWalk(graph: PermissionGraph, startRole: string, maxHops: number, limit: number): CompactWalk {
  let cache = compactCaches.get(graph);
  if (!cache) compactCaches.set(graph, (cache = new Map()));
  const key = `${startRole}|${maxHops}|${limit}`;
  let found = cache.get(key);
  if (!found) {
    found = compact(walkFromRole(graph, startRole, maxHops), limit, graph.index.functionsByRole.get(startRole) ?? []);
    cache.set(key, found);
  }
  return found;
}

/**
 * The first `limit` entries of a discovery-ordered map: those in `preferred` (functions taken
 * over) first, then by hops, then ARN.
 */
function firstEntries(found: Map<string, Step>, limit: number, preferred: Set<string> | null, skip: string | null): [string, Step][] {
  const picked: [string, Step][] = [];
  const rank = (arn: string) => (preferred && !preferred.has(arn) ? 1 : 0);
  for (const pass of preferred ? [0, 1] : [0]) {
    for (const entry of found) {
      if (picked.length >= limit) break;
      if (entry[0] !== skip && rank(entry[0]) === pass) picked.push(entry);
    }
  }
  return picked.sort(([a, x], [b, y]) => rank(a) - rank(b) || x.hops - y.hops || (a < b ? -1 : a > b ? 1 : 0));
}

/** Functions a compromised function reaches within `maxHops`, each with one shortest path (taken-over first, then by hops). */
export function reach(graph: PermissionGraph, functionArn: string, maxHops = 5): ReachedFunction[] {
  return reachDetailed(graph, functionArn, maxHops).functions;
}
