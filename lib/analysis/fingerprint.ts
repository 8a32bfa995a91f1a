import crypto from "node:crypto";
import type { Finding } from "@/lib/analysis/types";

/**
 * Stable across scans: the same rule on the same function about the same actions and
 * resources gets the same fingerprint, so scan diffs and suppressions can follow it.
 */
export function findingFingerprint(finding: Pick<Finding, "ruleId" | "functionArn" | "actions" | "resources">): string {
  const material = JSON.stringify([finding.ruleId, finding.functionArn, [...finding.actions].sort(), [...finding.resources].sort()]);
  return crypto.createHash("sha256").update(material).digest("hex").slice(0, 32);
}
