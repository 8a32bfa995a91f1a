import type { RuleMeta, Severity } from "@/lib/analysis/types";
import { serviceActionCount } from "@/lib/analysis/policy/action-data";
import { DATA_STORE_SERVICES } from "./data/data-stores";
import { INFRASTRUCTURE_SERVICES } from "./data/infrastructure";
import { MatchCollector, broadResourcesFor, downgrade, resourcesFor, serviceOf } from "./helpers";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "service-wide-wildcard",
  title: "Service-wide wildcard action",
  category: "admin-access",
  severity: "high",
  description:
    "A statement grants `service:*` (every action of a service) and, after boundary and SCPs, the role still holds most of that service's actions.",
  risk: "The function can administer the whole service — delete, reconfigure and re-share its resources — not just use it.",
  remediation: "List the few actions the function calls (e.g. `s3:GetObject` instead of `s3:*`).",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/README.md",
  ],
};

/** A `service:*` grant still counts when the role keeps at least this share of the service's actions. */
const STILL_SERVICE_WIDE = 0.5;
const LOW_RISK_SERVICES = new Set(["logs", "xray", "cloudwatch"]);

export function evaluate(ctx: RuleContext): RuleHit[] {
  const byService = new Map<string, { collector: MatchCollector; broad: boolean }>();
  for (const grant of ctx.perms.grants) {
    if (grant.notAction) continue; // NotAction is judged by admin-equivalent-access
    for (const written of grant.writtenActions) {
      const m = /^([a-z0-9-]+):\*$/.exec(written);
      if (!m) continue;
      const service = m[1];
      const held = grant.actions.filter((a) => serviceOf(a) === service);
      const total = serviceActionCount(service);
      if (total === 0 || held.length < STILL_SERVICE_WIDE * total) continue;
      const entry = byService.get(service) ?? { collector: new MatchCollector(), broad: false };
      const broad = broadResourcesFor(grant, held[0]).length > 0;
      entry.broad ||= broad;
      entry.collector.add(grant, written, resourcesFor(grant, held[0]));
      byService.set(service, entry);
    }
  }
  const hits: RuleHit[] = [];
  for (const [service, { collector, broad }] of byService) {
    let severity: Severity = LOW_RISK_SERVICES.has(service) ? "medium" : "high";
    if (!broad) severity = "medium";
    if (!broad && LOW_RISK_SERVICES.has(service)) severity = "low";
    if (collector.allConditional()) severity = downgrade(severity);
    const kind = DATA_STORE_SERVICES[service] ? "data store" : INFRASTRUCTURE_SERVICES.has(service) ? "infrastructure service" : "service";
    hits.push(
      collector.hit(`${collector.describe()}: every action of the ${kind} ${service}${broad ? " on every resource" : ""}.`, {
        title: `Service-wide wildcard ${service}:*`,
        severity,
      }),
    );
  }
  return hits;
}
