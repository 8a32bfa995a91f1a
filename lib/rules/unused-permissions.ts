import type { RuleMeta } from "@/lib/analysis/types";
import { hasAccessLevel } from "@/lib/analysis/policy/action-data";
import { MatchCollector, serviceOf } from "./helpers";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "unused-permissions",
  title: "Granted services never used",
  category: "unused-permissions",
  severity: "low",
  description:
    "Service-last-accessed data shows services the role may use but has not used within the tracking window (never, or not in the last 90 days). Only reported when the data was collected. Medium when an unused service includes write or permissions-management actions.",
  risk: "Permissions nobody uses only serve an attacker.",
  remediation: "Remove the unused services from the role (the recommended policy does this when usage data exists).",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-action-last-accessed.html",
  ],
};

/** A service last used longer ago than this counts as unused. */
export const UNUSED_AFTER_DAYS = 90;

export function evaluate(ctx: RuleContext): RuleHit[] {
  if (!ctx.lastAccessed || ctx.lastAccessed.length === 0) return [];
  const now = Date.parse(ctx.now ?? new Date().toISOString());
  const cutoff = now - UNUSED_AFTER_DAYS * 86_400_000;
  const byNamespace = new Map(ctx.lastAccessed.map((s) => [s.serviceNamespace.toLowerCase(), s]));
  const collector = new MatchCollector();
  const unused = new Map<string, string>();
  for (const grant of ctx.perms.grants) {
    for (const action of grant.actions) {
      const service = serviceOf(action);
      const record = byNamespace.get(service);
      // Services the report does not cover are not judged: no data is not "unused".
      if (!record) continue;
      const last = record.lastAuthenticated ? Date.parse(record.lastAuthenticated) : null;
      if (last !== null && last >= cutoff) continue;
      unused.set(service, last === null ? "never used" : `last used ${record.lastAuthenticated!.slice(0, 10)}`);
      collector.add(grant, action, grant.resources);
    }
  }
  if (unused.size === 0) return [];
  const risky = collector.actions().some((a) => hasAccessLevel(a, "Write") || hasAccessLevel(a, "Permissions management"));
  const services = [...unused].map(([s, why]) => `${s} (${why})`).join(", ");
  return [
    collector.hit(`The role is granted ${unused.size} service(s) it has not used in ${UNUSED_AFTER_DAYS} days: ${services}. Granted by ${collector.describe(4)}.`, {
      severity: risky ? "medium" : "low",
      actions: collector.actions(),
    }),
  ];
}
