import type { LambdaFunction, PolicyStatement } from "@/lib/snapshot/types";

/** Is this Principal element anyone at all (`"*"` or `{"AWS": "*"}`)? */
export function isAnonymousPrincipal(principal: PolicyStatement["Principal"]): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  const aws = principal.AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

/**
 * Quick exposure flag for listing pages: an unauthenticated function URL, or a resource
 * policy statement that lets anyone invoke with no condition at all. The public-invoke rule
 * gives the full reasoning (which conditions restrict, which do not).
 */
export function looksPubliclyInvocable(fn: LambdaFunction): boolean {
  if (fn.urls.some((u) => u.authType === "NONE")) return true;
  return (fn.resourcePolicy?.Statement ?? []).some(
    (s) => s.Effect === "Allow" && isAnonymousPrincipal(s.Principal) && !s.Condition,
  );
}
