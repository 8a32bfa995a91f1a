import type { RuleMeta } from "@/lib/analysis/types";
import { DATA_READ_ACTIONS } from "./data/data-stores";
import { MatchCollector, broadResourcesFor, downgrade, serviceOf } from "./helpers";
import type { RuleContext, RuleHit } from "./types";

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

/**
 * Reads Lambda's event source poller makes with the execution role, per source service
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html, with-kinesis.html, with-sqs.html).
 * AWS's own managed execution roles grant them on `*`.
 */
const POLLER_READS: Record<string, Set<string>> = {
  dynamodb: new Set(["dynamodb:getrecords", "dynamodb:getsharditerator", "dynamodb:describestream", "dynamodb:liststreams"]),
  kinesis: new Set(["kinesis:getrecords", "kinesis:getsharditerator", "kinesis:describestream", "kinesis:describestreamsummary", "kinesis:listshards", "kinesis:liststreams", "kinesis:subscribetoshard"]),
  sqs: new Set(["sqs:receivemessage", "sqs:deletemessage", "sqs:getqueueattributes"]),
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  const mappedServices = new Set(
    (ctx.index.mappingsByFunction.get(ctx.fn.arn) ?? []).flatMap((m) => (m.eventSourceArn ? [m.eventSourceArn.split(":")[2]] : [])),
  );
  const byService = new Map<string, MatchCollector>();
  for (const grant of ctx.perms.grants) {
    for (const action of grant.actions) {
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
    const pollerOnly = mappedServices.has(service) && collector.actions().every((a) => POLLER_READS[service]?.has(a));
    if (pollerOnly) {
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
