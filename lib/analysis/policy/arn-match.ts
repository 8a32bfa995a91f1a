/**
 * IAM resource matching: `*` matches any run of characters, `?` any one character.
 * ARNs compare case-sensitively, as IAM does for resource ARNs.
 */
import { wildcardMatches } from "./glob";

/** Does the IAM resource pattern match this concrete ARN (or pattern, read literally)? */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  return wildcardMatches(pattern, arn);
}

/** Could some ARN match both patterns? Conservative: true when either covers the other. */
export function patternsOverlap(a: string, b: string): boolean {
  if (a === "*" || b === "*") return true;
  if (arnPatternMatches(a, b) || arnPatternMatches(b, a)) return true;
  // Two patterns with wildcards in different places (e.g. `arn:aws:s3:::a*` and `arn:aws:s3:::*b`):
  // compare the literal prefixes up to the first wildcard.
  const prefixA = a.split(/[*?]/)[0];
  const prefixB = b.split(/[*?]/)[0];
  const wildA = prefixA.length < a.length;
  const wildB = prefixB.length < b.length;
  if (wildA && wildB) return prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA);
  return false;
}

/** Does a grant's resource element cover the ARN? */
export function resourceElementMatches(resources: string[], notResources: string[] | null, arn: string): boolean {
  if (notResources) return !notResources.some((p) => arnPatternMatches(p, arn));
  return resources.some((p) => arnPatternMatches(p, arn));
}

/** Parsed ARN; `resource` keeps any further colons. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(":"),
  };
}
