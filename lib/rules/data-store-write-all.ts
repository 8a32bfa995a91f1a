import type { RuleMeta } from "@/lib/analysis/types";
import { isWildcardOnly } from "@/lib/analysis/policy/action-data";
import { DATA_STORE_SERVICES, DATA_WRITE_ACTIONS } from "./data/data-stores";
import { MatchCollector, broadResourcesFor, downgrade, serviceOf } from "./helpers";
import { actionsWhere } from "@/lib/analysis/policy/action-subsets";
import type { RuleContext, RuleHit } from "./types";
import { onlyPollerActions } from "./data/event-source-poller";

export const meta: RuleMeta = {
  id: "data-store-write-all",
  title: "Write or delete on every data store of a kind",
  category: "data-tampering",
  severity: "high",
  description:
    "Actions that write or delete stored data (the data-store table, lib/analysis/data/data-stores.ts: object puts, item writes, SQL, message sends, deletes …) on S3, DynamoDB, RDS, SQS, SNS, Kinesis, EFS, ElastiCache and other data stores, granted on `*` rather than on the function's own resources. Configuration changes (e.g. s3:PutBucketWebsite) are infrastructure or exposure findings, not data tampering.",
  risk: "A compromised function can overwrite, encrypt or delete data in every bucket, table or queue of the account.",
  remediation: "Scope the Resource element to the ARNs of the stores the function writes (see the environment's referenced resources).",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/README.md",
  ],
};

const writesData = (action: string) => !!DATA_WRITE_ACTIONS[action];

export function evaluate(ctx: RuleContext): RuleHit[] {
  const byService = new Map<string, MatchCollector>();
  for (const grant of ctx.perms.grants) {
    for (const action of actionsWhere(grant.actions, writesData)) {
      if (!DATA_WRITE_ACTIONS[action]) continue;
      const service = serviceOf(action);
      // Wildcard-only actions cannot be scoped.
      if (isWildcardOnly(action)) continue;
      const broad = broadResourcesFor(grant, action);
      if (broad.length === 0) continue;
      const collector = byService.get(service) ?? new MatchCollector();
      collector.add(grant, action, broad);
      byService.set(service, collector);
    }
  }
  return [...byService].map(([service, collector]) => {
    if (onlyPollerActions(ctx, service, collector.actions())) {
      return collector.hit(`${collector.describe()}: the event source poller deletes processed messages, but only its own ${service} source needs it, not every one in the account.`, {
        title: `Event source writes on every ${DATA_STORE_SERVICES[service] ?? service} resource`,
        severity: "low",
      });
    }
    const deletes = collector.actions().filter((a) => /:(delete|purge|remove|drop|batchdelete)/.test(a));
    const extra = deletes.length > 0 ? ` including ${deletes.length} delete action(s)` : "";
    return collector.hit(
      `${collector.describe()}: write access${extra} to every ${DATA_STORE_SERVICES[service] ?? service} resource, not just the function's own.`,
      { title: `Write/delete on all ${DATA_STORE_SERVICES[service] ?? service} resources`, severity: collector.allConditional() ? downgrade(meta.severity) : meta.severity },
    );
  });
}
