import crypto from "node:crypto";
import type { Finding } from "@/lib/analysis/types";

type Fingerprinted = Pick<Finding, "ruleId" | "functionArn" | "actions" | "resources">;

// A finding is not changed once made, and the risk score and the stored row both ask for its
// fingerprint; a permission-set finding's lists are shared by every function holding the set.
const fingerprints = new WeakMap<Fingerprinted, string>();
const sortedLists = new WeakMap<readonly string[], string>();

function sortedJson(list: readonly string[]): string {
  let json = sortedLists.get(list);
  if (json === undefined) sortedLists.set(list, (json = JSON.stringify([...list].sort())));
  return json;
}

/**
 * Stable across scans: the same rule on the same function about the same actions and
 * resources gets the same fingerprint, so scan diffs and suppressions can follow it.
 */
export function findingFingerprint(finding: Fingerprinted): string {
  let fingerprint = fingerprints.get(finding);
  if (fingerprint === undefined) {
    // JSON.stringify([ruleId, functionArn, sorted actions, sorted resources]), written in parts.
    const material = `[${JSON.stringify(finding.ruleId)},${JSON.stringify(finding.functionArn)},${sortedJson(finding.actions)},${sortedJson(finding.resources)}]`;
    fingerprint = crypto.hash("sha256", material, "hex").slice(0, 32);
    fingerprints.set(finding, fingerprint);
  }
  return fingerprint;
}
