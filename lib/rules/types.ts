import type { SnapshotIndex } from "@/lib/analysis/snapshot-index";
import type { EffectivePermissions, EscalationPath, Finding, RuleMeta, Severity } from "@/lib/analysis/types";
import type { Account, LambdaFunction, Role, ServiceLastAccessed } from "@/lib/snapshot/types";

/** Everything a rule may read about one function. Plain data; rules are pure. */
export interface RuleContext {
  fn: LambdaFunction;
  /** The execution role; null when it is not in the snapshot. */
  role: Role | null;
  account: Account;
  index: SnapshotIndex;
  /** The role's effective permissions (boundary, SCPs and denies already applied). */
  perms: EffectivePermissions;
  /** Other function ARNs executing as the same role. */
  sharedWith: string[];
  /** Service-last-accessed data for the role; null when not collected. */
  lastAccessed: ServiceLastAccessed[] | null;
  escalationPaths: EscalationPath[];
  /** Reference time (ISO) for date-based rules; defaults to the current time. */
  now?: string;
}

/** What a rule's `evaluate` returns: a finding without the parts the catalogue fills in. */
export type RuleHit = Omit<Finding, "ruleId" | "category" | "severity" | "functionArn" | "title"> & {
  /** Overrides the rule's default severity, e.g. when severity depends on what a policy grants. */
  severity?: Severity;
  /** Overrides the rule's title, e.g. to name the policy. */
  title?: string;
};

export interface Rule extends RuleMeta {
  evaluate(ctx: RuleContext): RuleHit[];
  /**
   * What the rule reads: `permissions` rules read only the role's effective permissions and
   * attached policies (plus escalation steps and event-source services), so their hits are
   * computed once per distinct permission set; `role` rules read only the role (its permissions,
   * last-accessed data and the reference time), computed once per role; `function` rules read
   * the function itself.
   */
  scope: "permissions" | "role" | "function";
}
