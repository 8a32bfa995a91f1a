/**
 * Risk score 0–100 of one function, from its blast radius, findings and exposure. Every component
 * is a maximum or a count-based term that can only grow when a permission is added, so adding a
 * permission never lowers the score (a property test keeps it so). The formula is data:
 * `RISK_FORMULA` is printed by the README and `saltzer rules`.
 */
import type { AccessLevel, BlastRadius, DataStoreAccess, Finding, FindingCategory, RiskParts, RiskScore, Severity } from "./types";
import { findingFingerprint } from "./fingerprint";
import type { LambdaFunction } from "@/lib/snapshot/types";

export const CAPABILITY_MAX = 55;
export const BREADTH_MAX = 10;
export const EXPOSURE_MAX = 15;
export const REACH_MAX = 12;
export const UNUSED_MAX = 8;

/** Points of the worst capability tier, before the resource-scope factor. */
export const CAPABILITY_TIERS = {
  /** A usable escalation path, IAM permissions management on `*`, or an admin-access finding. */
  admin: 55,
  permissionsManagement: 40,
  destruction: 32,
  exfiltration: 24,
  write: 16,
  read: 10,
  list: 4,
} as const;

/** Resource-scope factor: how much of the service a pattern covers. */
export const SCOPE_FACTORS = { everything: 1, serviceWide: 0.8, partial: 0.6, exact: 0.35 } as const;
/** A capability only usable under conditions the function's context cannot settle. */
export const CONDITIONAL_FACTOR = 0.8;

/** Score thresholds: a score at or above the value has that severity. */
export const SEVERITY_THRESHOLDS: { severity: Severity; min: number }[] = [
  { severity: "critical", min: 55 },
  { severity: "high", min: 35 },
  { severity: "medium", min: 18 },
  { severity: "low", min: 8 },
  { severity: "info", min: 0 },
];

const FINDING_TIERS: Partial<Record<FindingCategory, number>> = {
  "admin-access": CAPABILITY_TIERS.admin,
  "privilege-escalation": CAPABILITY_TIERS.admin,
  "resource-exposure": CAPABILITY_TIERS.permissionsManagement,
  "data-exfiltration": CAPABILITY_TIERS.exfiltration,
  "data-tampering": CAPABILITY_TIERS.exfiltration,
  "credentials-exposure": CAPABILITY_TIERS.exfiltration,
  "infrastructure-modification": CAPABILITY_TIERS.write,
};

/** A finding counts at its category's tier scaled by its own severity (a confined admin policy is not admin). */
export const FINDING_SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, high: 1, medium: 0.6, low: 0.3, info: 0.1 };

/** The one rule relating a function's severity to its score and its findings (lib/analysis/verdicts.ts applies it). */
export const SEVERITY_RULE = `Function severity = the higher of (a) its score's band, capped at high, and (b) its worst
  unsuppressed finding. A function is never below its worst unsuppressed finding, and it is critical only
  through a critical finding: administrator access or a usable escalation path to it.`;

export const RISK_FORMULA = `Risk score (0–100) = capability + breadth + exposure + reach + unused, rounded.

capability (0–${CAPABILITY_MAX}): the worst effective capability, tier × resource scope.
  Tiers: admin/escalation ${CAPABILITY_TIERS.admin} (usable escalation path, IAM permissions management on *,
  or an admin-access / privilege-escalation finding) > permissions management ${CAPABILITY_TIERS.permissionsManagement}
  > destruction ${CAPABILITY_TIERS.destruction} (data-store delete) > exfiltration ${CAPABILITY_TIERS.exfiltration}
  (data-store read or write, secrets, decrypt) > other write ${CAPABILITY_TIERS.write} > read ${CAPABILITY_TIERS.read} > list/tagging ${CAPABILITY_TIERS.list}.
  Scope: "*" ×${SCOPE_FACTORS.everything}; every resource of a service in an account (e.g. table/*) ×${SCOPE_FACTORS.serviceWide};
  other wildcard patterns ×${SCOPE_FACTORS.partial}; an exact ARN ×${SCOPE_FACTORS.exact}. Conditional-only ×${CONDITIONAL_FACTOR}.
  Escalation paths count at full tier (conditional escalation: permissions-management tier); findings at their
  category's tier × their severity (critical/high ×1, medium ×0.6, low ×0.3, info ×0.1).
breadth (0–${BREADTH_MAX}): min(6, 1.5·log2(1 + services)) + min(4, log2(1 + services with a "*" resource)).
exposure (0–${EXPOSURE_MAX}): public invoke (a public-invoke finding: anyone may invoke, or a function URL with AuthType NONE
  and a statement letting anyone call it) 10, cross-account invoke 3, min(2, triggers from outside the organization:
  resource-policy statements whose principal, aws:SourceAccount or aws:SourceArn is outside it; own-account callers are not).
reach (0–${REACH_MAX}): min(8, 2·log2(1 + functions reached)) + min(4, log2(1 + roles passable or assumable)).
  An admin-equivalent capability alone (${CAPABILITY_TIERS.admin}) reaches the critical band.
unused (0–${UNUSED_MAX}): ${UNUSED_MAX} × unused share × capability / ${CAPABILITY_MAX} (0 when usage is unknown).
  It scales the excess by what the permissions can do and is added, never multiplied into the rest,
  so for a given unused share adding a permission cannot lower the score.

Score bands: ${SEVERITY_THRESHOLDS.slice(0, -1)
  .map((t) => `${t.severity} ≥ ${t.min}`)
  .join(", ")}, info below ${SEVERITY_THRESHOLDS[SEVERITY_THRESHOLDS.length - 2].min}.
${SEVERITY_RULE}`;

export function severityForScore(score: number): Severity {
  for (const t of SEVERITY_THRESHOLDS) if (score >= t.min) return t.severity;
  return "info";
}

/** How much of its service a resource pattern covers. */
export function scopeFactor(pattern: string): number {
  if (pattern === "*") return SCOPE_FACTORS.everything;
  if (!/[*?]/.test(pattern)) return SCOPE_FACTORS.exact;
  const parts = pattern.split(":");
  if (parts.length < 6) return SCOPE_FACTORS.partial;
  // Any account, or the whole resource part a wildcard after an optional type prefix (`table/*`, `function:*`).
  const resource = parts.slice(5).join(":");
  // S3 ARNs have no type prefix: `arn:aws:s3:::reports/*` is one bucket, only `arn:aws:s3:::*` is every bucket.
  const typed = parts[2] === "s3" ? /^\*$/ : /^([A-Za-z-]+[/:])?\*$/;
  if (parts[4] === "*" || typed.test(resource)) return SCOPE_FACTORS.serviceWide;
  return SCOPE_FACTORS.partial;
}

function bestScope(resources: string[]): number {
  let best = 0;
  for (const r of resources) best = Math.max(best, scopeFactor(r));
  return best;
}

const LEVEL_TIERS: Record<AccessLevel, number> = {
  "Permissions management": CAPABILITY_TIERS.permissionsManagement,
  Write: CAPABILITY_TIERS.write,
  Read: CAPABILITY_TIERS.read,
  List: CAPABILITY_TIERS.list,
  Tagging: CAPABILITY_TIERS.list,
};

interface Capability {
  points: number;
  why: string;
}

/** The worst of some candidates; ties go to the first, as candidates are considered in a fixed order. */
function worstOf(candidates: Iterable<Capability>): Capability {
  let worst: Capability = { points: 0, why: "no effective permissions" };
  for (const c of candidates) if (c.points > worst.points) worst = c;
  return worst;
}

function pathCapability(br: BlastRadius): Capability {
  return worstOf(br.escalationPaths.map((path) => ({ points: path.conditional ? CAPABILITY_TIERS.permissionsManagement : CAPABILITY_TIERS.admin, why: `escalation path "${path.title}"` })));
}

/** A finding's own capability points: its category's tier scaled by its severity (0 for categories without a tier). */
function findingCapability(f: Finding): Capability {
  const tier = FINDING_TIERS[f.category];
  return { points: tier ? tier * FINDING_SEVERITY_WEIGHT[f.severity] : 0, why: `finding "${f.title}" (${f.category}, ${f.severity})` };
}

const STORE_TIERS: [keyof BlastRadius["dataStores"], number, string][] = [
  ["delete", CAPABILITY_TIERS.destruction, "delete"],
  ["read", CAPABILITY_TIERS.exfiltration, "read"],
  ["write", CAPABILITY_TIERS.exfiltration, "write"],
];

/** The first of the two when it is at least as bad: candidates taken in order, ties to the first. */
function worse(a: Capability, b: Capability): Capability {
  return b.points > a.points ? b : a;
}

// The services and data stores of a blast radius are its permission set's, shared by every
// function holding the set: their worst capability is worked out once per set.
const servicesWorst = new WeakMap<BlastRadius["services"], Capability>();
const storesWorst = new WeakMap<BlastRadius["dataStores"], Capability[]>();

function worstService(services: BlastRadius["services"]): Capability {
  let found = servicesWorst.get(services);
  if (!found) {
    const candidates: Capability[] = [];
    for (const s of services) {
      for (const level of s.levels) {
        const scope = bestScope(level.resources);
        // Changing IAM permissions on any principal is as good as administrator access.
        const tier = level.level === "Permissions management" && s.service === "iam" && scope === 1 ? CAPABILITY_TIERS.admin : LEVEL_TIERS[level.level];
        candidates.push({ points: tier * scope, why: `${level.level} on ${s.service} (${level.actionCount} actions, e.g. ${level.actions[0]}) on ${level.resources.slice(0, 2).join(", ")}` });
      }
    }
    servicesWorst.set(services, (found = worstOf(candidates)));
  }
  return found;
}

function storeCandidates(stores: DataStoreAccess[], tier: number, verb: string): Capability[] {
  return stores.map((d) => ({ points: tier * scopeFactor(d.resource) * (d.conditional ? CONDITIONAL_FACTOR : 1), why: `${verb} ${d.service} data on ${d.resource} (${d.actions.slice(0, 3).join(", ")})` }));
}

/** Per STORE_TIERS kind, the worst of the data stores themselves. */
function worstStores(dataStores: BlastRadius["dataStores"]): Capability[] {
  let found = storesWorst.get(dataStores);
  if (!found) storesWorst.set(dataStores, (found = STORE_TIERS.map(([kind, tier, verb]) => worstOf(storeCandidates(dataStores[kind], tier, `can ${verb}`)))));
  return found;
}

function radiusCapability(br: BlastRadius): Capability {
  // The worst of: every service level, then per kind its data stores and those after escalation.
  let worst = worstService(br.services);
  const direct = worstStores(br.dataStores);
  STORE_TIERS.forEach(([kind, tier, verb], i) => {
    worst = worse(worst, direct[i]);
    // The same numbers the blast radius shows under "after escalation".
    const after = br.afterEscalation?.dataStores[kind];
    if (after?.length) worst = worse(worst, worstOf(storeCandidates(after, tier, `after escalation can ${verb}`)));
  });
  return { ...worst };
}

const wildcardCounts = new WeakMap<BlastRadius["services"], number>();
/** Services with an action on every resource (`*`), once per permission set. */
function wildcardServices(services: BlastRadius["services"]): number {
  let count = wildcardCounts.get(services);
  if (count === undefined) wildcardCounts.set(services, (count = services.filter((s) => s.levels.some((l) => l.resources.includes("*"))).length));
  return count;
}

/** Which exposure a finding causes (exposureOf in lib/audit/analyze-snapshot.ts reads the same findings). */
function findingExposure(f: Finding): RiskParts["findings"][number]["exposure"] {
  if (f.ruleId === "public-invoke") return "public";
  if (f.category === "cross-account-invoke") return "cross-account";
  return null;
}

export interface RiskInput {
  blastRadius: BlastRadius;
  findings: Finding[];
  fn: LambdaFunction;
  exposure: { public: boolean; crossAccount: boolean; outsideTriggers: number };
  /** Share (0–1) of granted actions never used, from last-accessed data; null when unknown. */
  unusedShare: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** What the score is made of, each finding's share apart. */
export function riskParts(input: RiskInput): RiskParts {
  const { blastRadius: br, findings, exposure, unusedShare } = input;
  return {
    pathCapability: pathCapability(br),
    radiusCapability: radiusCapability(br),
    findings: findings.map((f) => ({ fingerprint: findingFingerprint(f), severity: f.severity, ...findingCapability(f), exposure: findingExposure(f) })),
    exposure: { ...exposure },
    services: br.services.length,
    wildcardServices: wildcardServices(br.services),
    reachableFunctions: br.totals.reachableFunctions,
    roles: new Set([...br.rolesPassable, ...br.rolesAssumable]).size,
    unusedShare,
    notes: [],
  };
}

export function riskScore(input: RiskInput): RiskScore {
  return scoreRiskParts(riskParts(input));
}

/**
 * The score of some parts, leaving out the findings `excluded` names (by fingerprint): their
 * capability points and the exposure they cause. The one formula; lib/analysis/verdicts.ts
 * `riskWithout` applies it to a stored score when findings are suppressed.
 */
export function scoreRiskParts(parts: RiskParts, excluded: ReadonlySet<string> = new Set()): RiskScore {
  const kept = parts.findings.filter((f) => !excluded.has(f.fingerprint));
  // Exposure a finding caused goes with it; exposure no finding caused stays.
  const causing = (kind: "public" | "cross-account") => parts.findings.filter((f) => f.exposure === kind);
  const allDropped = (kind: "public" | "cross-account") => causing(kind).length > 0 && causing(kind).every((f) => excluded.has(f.fingerprint));
  const exposure = {
    public: parts.exposure.public && !allDropped("public"),
    crossAccount: parts.exposure.crossAccount && !allDropped("cross-account"),
    outsideTriggers: Math.max(0, parts.exposure.outsideTriggers - causing("cross-account").filter((f) => excluded.has(f.fingerprint)).length),
  };

  const cap = worstOf([parts.pathCapability, ...kept, parts.radiusCapability]);
  const capability = Math.min(CAPABILITY_MAX, cap.points);

  const services = parts.services;
  const wildcardServices = parts.wildcardServices;
  const breadth = Math.min(6, 1.5 * Math.log2(1 + services)) + Math.min(4, Math.log2(1 + wildcardServices));

  const exposureScore = Math.min(
    EXPOSURE_MAX,
    (exposure.public ? 10 : 0) + (exposure.crossAccount ? 3 : 0) + Math.min(2, Math.max(0, exposure.outsideTriggers)),
  );

  const roles = parts.roles;
  const functions = parts.reachableFunctions;
  const reachScore = Math.min(8, 2 * Math.log2(1 + functions)) + Math.min(4, Math.log2(1 + roles));

  const unusedShare = parts.unusedShare;
  const share = unusedShare === null ? 0 : Math.min(1, Math.max(0, unusedShare));
  const unused = UNUSED_MAX * share * (capability / CAPABILITY_MAX);

  const total = capability + breadth + exposureScore + reachScore + unused;
  const score = Math.max(0, Math.min(100, Math.round(total)));

  const exposureWords = [
    exposure.public ? "anyone can invoke it" : null,
    exposure.crossAccount ? "another account can invoke it" : null,
    exposure.outsideTriggers > 0 ? `${exposure.outsideTriggers} trigger(s) from outside the organization` : null,
  ].filter(Boolean);

  return {
    score,
    severity: severityForScore(score),
    components: {
      capability: round1(capability),
      breadth: round1(breadth),
      exposure: round1(exposureScore),
      reach: round1(reachScore),
      unused: round1(unused),
    },
    explanation: [
      `Capability ${round1(capability)}/${CAPABILITY_MAX}: worst is ${cap.why}.`,
      `Breadth ${round1(breadth)}/${BREADTH_MAX}: ${services} services, ${wildcardServices} with actions on every resource ("*").`,
      `Exposure ${round1(exposureScore)}/${EXPOSURE_MAX}: ${exposureWords.length ? exposureWords.join(", ") : "not invocable from outside the account"}.`,
      `Reach ${round1(reachScore)}/${REACH_MAX}: reaches ${functions} other functions and can pass or assume ${roles} roles.`,
      unusedShare === null
        ? `Unused 0/${UNUSED_MAX}: no usage data.`
        : `Unused ${round1(unused)}/${UNUSED_MAX}: ${Math.round(share * 100)}% of granted actions unused, weighted by capability.`,
      ...parts.notes,
    ],
    parts,
  };
}
