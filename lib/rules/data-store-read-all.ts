import type { RuleMeta } from "@/lib/analysis/types";
import { DATA_READ_ACTIONS } from "./data/data-stores";
import { MatchCollector, broadResourcesFor, downgrade, serviceOf } from "./helpers";
import { actionsWhere } from "@/lib/analysis/policy/action-subsets";
import type { RuleContext, RuleHit } from "./types";
import { onlyPollerActions } from "./data/event-source-poller";

export const meta: RuleMeta = {
  id: "data-store-read-all",
  title: "Read every data store of a kind",
  category: "data-exfiltration",
  severity: "high",
  description:
    "Data-reading actions (object and item reads, queue receives, stream reads, KMS decrypt) on `*` rather than on the function's own resources.",
  risk: "A compromised function can copy the contents of every bucket, table, queue or encrypted blob in the account.",
  remediation: "Scope the Resource element to the stores and keys the function reads.",
  references: [
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/data-exfiltration.md",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  ],
};

const readsData = (action: string) => !!DATA_READ_ACTIONS[action];

export function evaluate(ctx: RuleContext): RuleHit[] {

  const byService = new Map<string, MatchCollector>();
  for (const grant of ctx.perms.grants) {
    for (const action of actionsWhere(grant.actions, readsData)) {
      if (!DATA_READ_ACTIONS[action]) continue;
      const broad = broadResourcesFor(grant, action);
      if (broad.length === 0) continue;
      const service = serviceOf(action);
      const collector = byService.get(service) ?? new MatchCollector();
      collector.add(grant, action, broad);
      byService.set(service, collector);
    }
  }
  return [...byService].map(([service, collector]) => {
    const what = [...new Set(collector.actions().map((a) => DATA_READ_ACTIONS[a]))].join(", ");
    // Only the poller's own reads, for a function that does have such an event source: what AWS's
    // managed execution role grants. Still wider than needed (every stream), so reported low.
    if (onlyPollerActions(ctx, service, collector.actions())) {
      return collector.hit(`${collector.describe()}: the event source poller needs these reads, but on its own ${service} source only, not every one in the account.`, {
        title: `Event source reads on every ${service} source`,
        severity: "low",
      });
    }
    return collector.hit(`${collector.describe()}: the function can ${what} across all of ${service}.`, {
      title: `Read access to all ${service} data`,
      severity: collector.allConditional() ? downgrade(meta.severity) : meta.severity,
    });
  });
}
