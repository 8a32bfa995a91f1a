/**
 * The analysis contract: plain data produced by lib/analysis (pure code) and read by
 * rules, blast radius, risk, recommendation, the store, the reports and the UI.
 */
import type { ConditionBlock, PolicyDocument } from "@/lib/snapshot/types";

/** Which kind of policy a statement sits in. */
export type PolicySourceKind =
  | "inline"
  | "customer-managed"
  | "aws-managed"
  | "boundary"
  | "scp"
  | "resource-policy"
  | "trust-policy";

/** Points at one statement, so every finding and edge can answer "why?". */
export interface StatementRef {
  kind: PolicySourceKind;
  /** Inline policy name, managed policy name, SCP name, or `resource policy`. */
  policyName: string;
  /** Managed policy / SCP ARN; null for inline and resource policies. */
  policyArn: string | null;
  /** 0-based index in the policy's Statement array. */
  statementIndex: number;
  sid: string | null;
}

/**
 * One identity-policy Allow statement after evaluation: what it still grants once explicit
 * denies, the permission boundary and every SCP level have been applied.
 */
export interface Grant {
  /** Concrete actions, lower-cased `service:action`, no wildcards (expanded with iam-expand). Shared by reference where possible. */
  actions: readonly string[];
  /** ARN patterns (IAM `*`/`?` wildcards) the grant applies to; `["*"]` for every resource. */
  resources: string[];
  /** Set when the statement used `NotResource`: every resource except these. */
  notResources: string[] | null;
  /** Conditions the function's own context cannot settle; null when unconditional. "Allowed only when …". */
  conditions: ConditionBlock | null;
  /** The Allow statement this grant comes from. */
  source: StatementRef;
  /** The action patterns as written (lower-cased), e.g. `["s3:*"]` or NotAction patterns. */
  writtenActions: string[];
  /** True when the statement used NotAction. */
  notAction: boolean;
  /** Narrowings applied by denies, boundary or SCPs that did not remove the grant entirely. */
  limits: GrantLimit[];
}

/**
 * A partial narrowing of a grant, kept to explain "allowed except …".
 * - `deny-resources`: the grant does not apply to resources matching `resources`.
 * - `deny-conditional`: the grant does not apply to `resources` when `conditions` hold.
 * - `boundary-resources` / `scp-resources`: the grant applies only to resources matching `resources`.
 * - `boundary-conditional` / `scp-conditional`: the grant applies only when `conditions` hold.
 */
export interface GrantLimit {
  by: StatementRef;
  kind: "deny-resources" | "deny-conditional" | "boundary-resources" | "boundary-conditional" | "scp-resources" | "scp-conditional";
  /** Actions the limit touches (null: all of the grant's actions). */
  actions: string[] | null;
  resources: string[];
  /**
   * Optional, for a Deny written with `NotResource`: when set (`deny-resources` / `deny-conditional`),
   * the limit touches every resource except these, and `resources` is empty.
   */
  notResources?: string[] | null;
  conditions: ConditionBlock | null;
  /**
   * Set on a conditional limit whose conditions only test keys the caller chooses (the request's
   * region): it narrows where the grant works, not whether an attacker can use it. Says where.
   */
  avoidable?: string;
}

/** Actions an identity policy allows but that never take effect, and why. */
export interface RemovedActions {
  actions: string[];
  allowedBy: StatementRef;
  reason: "explicit-deny" | "scp-deny" | "scp-not-allowed" | "boundary-deny" | "boundary-not-allowed";
  /** The deny statement, or null when the cause is "no statement of the boundary/SCP allows it". */
  removedBy: StatementRef | null;
  /** Human-readable: `SCP "DenyRegions" statement #0` or `permission boundary "DevBoundary" allows none of them`. */
  removedByName: string;
}

/** A principal's effective identity-based permissions. */
export interface EffectivePermissions {
  principalArn: string;
  /** Hash of (identity policies, boundary, SCP chain): the cache key; equal keys ⇒ equal permissions. */
  key: string;
  grants: Grant[];
  removed: RemovedActions[];
  /** Policy documents that could not be resolved (listed as gaps, treated as granting nothing). */
  unresolvedPolicies: string[];
}

/** Decision for one (action, resource) request. */
export interface AccessDecision {
  decision: "allowed" | "denied";
  /** Allowed only when these conditions hold (the context could not settle them). */
  conditional: boolean;
  allowedBy: { ref: StatementRef; name: string; conditions: ConditionBlock | null }[];
  deniedBy: { ref: StatementRef | null; name: string; reason: string }[];
  /** One-line explanation in the user's words. */
  summary: string;
}

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

export type FindingCategory =
  | "admin-access"
  | "privilege-escalation"
  | "data-exfiltration"
  | "data-tampering"
  | "resource-exposure"
  | "credentials-exposure"
  | "infrastructure-modification"
  | "public-invoke"
  | "cross-account-invoke"
  | "confused-deputy"
  | "shared-role"
  | "unused-permissions"
  | "secrets-in-environment"
  | "missing-logging"
  | "deprecated-runtime";

export const FINDING_CATEGORIES: FindingCategory[] = [
  "admin-access",
  "privilege-escalation",
  "data-exfiltration",
  "data-tampering",
  "resource-exposure",
  "credentials-exposure",
  "infrastructure-modification",
  "public-invoke",
  "cross-account-invoke",
  "confused-deputy",
  "shared-role",
  "unused-permissions",
  "secrets-in-environment",
  "missing-logging",
  "deprecated-runtime",
];

/** A rule's catalogue entry (printed by `saltzer rules`, SARIF rules, reports). */
export interface RuleMeta {
  id: string;
  title: string;
  category: FindingCategory;
  severity: Severity;
  description: string;
  /** What the attacker gets: one sentence. */
  risk: string;
  remediation: string;
  references: string[];
}

/** One finding on one function, with its reason. */
export interface Finding {
  ruleId: string;
  category: FindingCategory;
  severity: Severity;
  functionArn: string;
  title: string;
  /** One or two sentences naming policy, statement, actions and resources. */
  reason: string;
  statements: StatementRef[];
  actions: string[];
  resources: string[];
  /** Set for privilege-escalation findings. */
  escalation?: EscalationPath;
}

/** A known privilege-escalation method found usable, with the concrete steps. */
export interface EscalationPath {
  /** Method id from the escalation catalogue, e.g. `passrole-lambda-create-invoke`. */
  method: string;
  title: string;
  /** Actions used, each with the statement that grants it. */
  steps: { action: string; resource: string; grantedBy: StatementRef }[];
  /** The role, function or user the path lands on, when known. */
  target: string | null;
  /** Why the target is worth it (e.g. "role X trusts lambda.amazonaws.com and holds AdministratorAccess"). */
  targetReason: string | null;
  conditional: boolean;
  /** For a chain (method `role-chain`): each hop, from the function's role to the target, with its reason. */
  chain?: { from: string; to: string; method: string; reason: string }[];
}

/** Access levels as iam-data names them; compound levels are split. */
export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";
export const ACCESS_LEVELS: AccessLevel[] = ["List", "Read", "Write", "Permissions management", "Tagging"];

/** Lists are capped so one broad role cannot bloat every report: counts are always complete. */
export const LIST_CAPS = { actionsPerLevel: 25, reachableFunctions: 25, removedActions: 200 } as const;

export interface ServiceReach {
  service: string;
  /** `actions` holds at most LIST_CAPS.actionsPerLevel entries; `actionCount` is the full count. */
  levels: { level: AccessLevel; actions: string[]; actionCount: number; resources: string[] }[];
}

export interface DataStoreAccess {
  /** `s3`, `dynamodb`, `rds`, `secretsmanager`, `ssm`, `kms`, `sqs`, … */
  service: string;
  /** ARN pattern or `*`. */
  resource: string;
  actions: string[];
  conditional: boolean;
}

/** A blast radius' data stores (read, written, deleted), each access mapped by `f`. */
export function mapDataStores(stores: BlastRadius["dataStores"], f: (access: DataStoreAccess) => DataStoreAccess): BlastRadius["dataStores"] {
  return { read: stores.read.map(f), write: stores.write.map(f), delete: stores.delete.map(f) };
}

export type EdgeKind =
  | "executes-as"
  | "can-read"
  | "can-write"
  | "can-delete"
  | "can-manage"
  | "can-invoke"
  | "can-update-code"
  | "can-update-config"
  | "can-create-with-role"
  | "can-trigger-via"
  | "can-pass"
  | "can-assume"
  | "triggers";

/** A graph edge with its reason; the UI and the reports draw the same edges. */
export interface Edge {
  /** Node ids are ARNs or ARN patterns. */
  from: string;
  to: string;
  kind: EdgeKind;
  /** For can-trigger-via: `sqs`, `s3`, `kinesis`, `dynamodb`, `sns`, … */
  via?: string;
  /** Full sentence: which statement, which policy, which condition. */
  reason: string;
  /** A few words for an edge label. */
  shortReason: string;
  conditional: boolean;
}

export interface ReachedFunction {
  arn: string;
  hops: number;
  /** The edges of one shortest path from the compromised function. */
  path: Edge[];
}

export interface BlastRadius {
  services: ServiceReach[];
  dataStores: { read: DataStoreAccess[]; write: DataStoreAccess[]; delete: DataStoreAccess[] };
  rolesPassable: string[];
  rolesAssumable: string[];
  /**
   * Compromising paths first, then by hops, then ARN; the first LIST_CAPS.reachableFunctions (see
   * totals) of the role's whole reach seen from the function (`roleReach`, `reachSeenFrom`). Stored
   * empty: readers take it from the role's stored reach (lib/queries/reach.ts).
   */
  reachableFunctions: ReachedFunction[];
  escalationPaths: EscalationPath[];
  totals: { actions: number; services: number; resources: number; reachableFunctions: number };
  /**
   * What the function can do after escalating: the data stores of the roles its escalation paths
   * land on (a function target: its role), beside the direct `dataStores`. Null without such a path.
   */
  afterEscalation?: AfterEscalation | null;
}

export interface AfterEscalation {
  /** The roles gained, each with the path that gains it. */
  via: { roleArn: string; method: string; conditional: boolean }[];
  dataStores: { read: DataStoreAccess[]; write: DataStoreAccess[]; delete: DataStoreAccess[] };
  /** Services the gained roles can act on. */
  services: number;
}

export interface RiskScore {
  /** 0–100. */
  score: number;
  severity: Severity;
  components: { capability: number; breadth: number; exposure: number; reach: number; unused: number };
  /** Each component explained in a sentence. */
  explanation: string[];
  /**
   * What the score is made of, each finding's share apart, so a reader can drop a suppressed
   * finding's share (lib/analysis/verdicts.ts `riskWithout`). Absent in scans stored before it.
   */
  parts?: RiskParts;
}

/** A risk score's inputs, each finding's contribution kept apart (lib/analysis/risk-score.ts). */
export interface RiskParts {
  /** The worst capability owed to escalation paths, and to the blast radius (services, data stores): not to a finding. */
  pathCapability: { points: number; why: string };
  radiusCapability: { points: number; why: string };
  /** Each finding's capability points, severity and exposure it causes, by fingerprint. */
  findings: { fingerprint: string; severity: Severity; points: number; why: string; exposure: "public" | "cross-account" | null }[];
  exposure: { public: boolean; crossAccount: boolean; outsideTriggers: number };
  services: number;
  wildcardServices: number;
  reachableFunctions: number;
  roles: number;
  unusedShare: number | null;
  /** Explanation lines after the components' (what could not be seen). */
  notes: string[];
}

export interface RecommendedPolicy {
  document: PolicyDocument;
  confidence: "usage-data" | "configuration-only";
  /** Why each statement is there, and what was dropped. */
  notes: string[];
  /** Unified diff (text) of the current combined identity policy against the recommendation. */
  diff: string;
  /** At most LIST_CAPS.removedActions entries; `removedActionCount` is the full count. */
  removedActions: string[];
  removedActionCount: number;
}

export interface FunctionAnalysis {
  functionArn: string;
  roleArn: string;
  permissionsKey: string;
  findings: Finding[];
  blastRadius: BlastRadius;
  risk: RiskScore;
  recommendedPolicy: RecommendedPolicy;
  /** Has a public-invoke finding: the one definition of "public" (lib/analysis/verdicts.ts). */
  isPublic: boolean;
  /** Reads the scan could not make for this function's inputs; empty when complete. */
  incomplete: { api: string; reason: string }[];
  /**
   * The whole reach of the function's role (every function reached, with one path each; the
   * start function written as `REACH_START`), on the first analysed function of each role only:
   * stored once per role, read through `reachSeenFrom`. Undefined on the others.
   */
  roleReach?: ReachedFunction[];
}
