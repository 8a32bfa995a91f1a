/**
 * IAM wildcard matching, the one implementation: `*` matches any run of characters, `?` any one
 * character, everything else literally. Actions compare case-insensitively, resource ARNs
 * case-sensitively, condition values as their operator says.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
const caches = { sensitive: new Map<string, RegExp>(), insensitive: new Map<string, RegExp>() };
const CACHE_LIMIT = 50_000;

/** Does the pattern hold a wildcard? */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

/** The pattern as an anchored regular expression (cached). */
export function wildcardRegex(pattern: string, ignoreCase = false): RegExp {
  const cache = ignoreCase ? caches.insensitive : caches.sensitive;
  let cached = cache.get(pattern);
  if (!cached) {
    const body = pattern
      .split("")
      .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    cached = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    if (cache.size > CACHE_LIMIT) cache.clear();
    cache.set(pattern, cached);
  }
  return cached;
}

/** Does `value` match the wildcard pattern? */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  if (!hasWildcard(pattern)) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return wildcardRegex(pattern, ignoreCase).test(value);
}
