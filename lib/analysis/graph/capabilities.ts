/**
 * What each permission set can do to other functions and roles: invoke, update, trigger through
 * an event source, pass or assume. Built once per distinct permission set
 * (`EffectivePermissions.key`), never per (function, function) pair — see target-matching.ts;
 * the edges, the reach walk and the blast radius all read it.
 */
import { statementAllowsAction } from "../policy/action-expansion";
import { principalAccount, principalsOf } from "../policy/principals";
import { settleConditions } from "../policy/conditions";
import { parseArn } from "../policy/arn-match";
import { grantsFor } from "../policy/permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import {
  candidateSet,
  forEachMatch,
  isEmptyMatch,
  matchFor,
  matchTargets,
  type CandidateSet,
  type MatchInfo,
  type TargetMatches,
} from "../policy/target-matching";
import type { Edge, EdgeKind, EffectivePermissions } from "../types";
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
export const COMPROMISING: ReadonlySet<EdgeKind> = new Set(["can-update-code", "can-update-config"]);

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

export interface CapabilityIndex {
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

/**
 * A role-to-role move an escalation method makes (see lib/analysis/escalation): modify a role then
 * assume it, rewrite its trust, assume it through a trust naming the role, or pass it to a service
 * that then runs as it. The reach walk follows these like assume and pass moves.
 */
export interface EscalationMove {
  /** can-assume: the attacker then holds the role's sessions; can-pass: a service runs as it for the attacker. */
  kind: "can-assume" | "can-pass";
  target: string;
  /** Escalation method id and title. */
  method: string;
  title: string;
  /** Why the move works: the target test and the statements that allow each step. */
  reason: string;
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

export interface KeyCapabilities {
  functionCaps: FunctionCapability[];
  pass: TargetMatches;
  createWithRole: Map<string, RoleMove>;
}

const capabilityIndexes = new WeakMap<SnapshotIndex, CapabilityIndex>();

function nameOf(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const resource = parsed.resource;
  const cut = Math.max(resource.lastIndexOf("/"), parsed.service === "lambda" || parsed.service === "sns" || parsed.service === "sqs" ? resource.lastIndexOf(":") : -1);
  return cut >= 0 && cut < resource.length - 1 ? resource.slice(cut + 1) : resource || arn;
}

export function shortName(arn: string): string {
  if (arn.startsWith("arn:aws:s3:::")) return arn.slice("arn:aws:s3:::".length);
  if (arn.includes(":table/")) return arn.slice(arn.indexOf(":table/") + 7);
  return nameOf(arn);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
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
export function capabilityIndex(index: SnapshotIndex): CapabilityIndex {
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

export const accountOf = (arn: string): string => arn.split(":")[4] ?? "";

/** Which accounts a function's resource policy lets invoke it: every one (`*`) or those named. */
function invokingAccounts(statements: PolicyStatement[]): { everyone: boolean; accounts: Set<string> } {
  const found = { everyone: false, accounts: new Set<string>() };
  for (const st of statements) {
    if (st.Effect !== "Allow" || !statementAllowsAction(st, "lambda:invokefunction")) continue;
    for (const p of principalsOf(st.Principal, "AWS")) {
      if (p === "*") found.everyone = true;
      else {
        const account = principalAccount(p);
        if (account !== null) found.accounts.add(account);
      }
    }
  }
  return found;
}

/** The snapshot's functions, roles and trigger sources grouped by account, once: a scope per account reads its own group. */
interface ByAccount {
  functions: Map<string, string[]>;
  /** Functions whose resource policy admits named accounts (or everyone), with those accounts. */
  invokableFromElsewhere: { arn: string; accountId: string; everyone: boolean; accounts: Set<string> }[];
  roles: Map<string, string[]>;
  lambdaTrustingRoles: Map<string, string[]>;
  /** Per trigger (as in `ci.triggers`): account → write target → that account's sources. */
  triggers: Map<string, Map<string, TriggerSource[]>>[];
}

const byAccountCache = new WeakMap<CapabilityIndex, ByAccount>();

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byAccount(ci: CapabilityIndex): ByAccount {
  let found = byAccountCache.get(ci);
  if (found) return found;
  found = { functions: new Map(), invokableFromElsewhere: [], roles: new Map(), lambdaTrustingRoles: new Map(), triggers: [] };
  for (const f of ci.index.functions.values()) {
    pushTo(found.functions, f.accountId, f.arn);
    const admitted = invokingAccounts(f.resourcePolicy?.Statement ?? []);
    if (admitted.everyone || admitted.accounts.size > 0) found.invokableFromElsewhere.push({ arn: f.arn, accountId: f.accountId, ...admitted });
  }
  for (const r of ci.index.roles.keys()) pushTo(found.roles, accountOf(r), r);
  for (const r of ci.lambdaTrustingRoles) pushTo(found.lambdaTrustingRoles, accountOf(r), r);
  for (const t of ci.triggers) {
    const perAccount = new Map<string, Map<string, TriggerSource[]>>();
    for (const [target, list] of t.sources) {
      for (const src of list) {
        // Buckets carry no account in their ARN: a bucket trigger belongs to the function's account.
        const account = accountOf(src.sourceArn) || accountOf(src.functionArn);
        let sources = perAccount.get(account);
        if (!sources) perAccount.set(account, (sources = new Map()));
        pushTo(sources, target, src);
      }
    }
    found.triggers.push(perAccount);
  }
  byAccountCache.set(ci, found);
  return found;
}

export function scopeFor(ci: CapabilityIndex, account: string): AccountScope {
  let scope = ci.scopes.get(account);
  if (!scope) {
    const groups = byAccount(ci);
    const own = groups.functions.get(account) ?? [];
    const admitted = groups.invokableFromElsewhere.filter((f) => f.accountId !== account && (f.everyone || f.accounts.has(account))).map((f) => f.arn);
    scope = {
      functions: candidateSet(`functions:${account}`, own),
      invokable: candidateSet(`invokable:${account}`, [...own, ...admitted]),
      roles: candidateSet(`roles:${account}`, groups.roles.get(account) ?? []),
      lambdaTrustingRoles: groups.lambdaTrustingRoles.get(account) ?? [],
      triggers: ci.triggers.flatMap((t, i) => {
        const sources = groups.triggers[i].get(account);
        return sources ? [{ via: t.via, sources, cands: candidateSet(`trigger:${t.via}:${account}`, sources.keys(), t.cands.mode) }] : [];
      }),
    };
    ci.scopes.set(account, scope);
  }
  return scope;
}

export function keyCapabilities(ci: CapabilityIndex, perms: EffectivePermissions, account: string): KeyCapabilities {
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
  found = { functionCaps, pass, createWithRole };
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

