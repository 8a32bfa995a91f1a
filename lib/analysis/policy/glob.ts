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

type Matcher = (value: string) => boolean;
const matchers = { sensitive: new Map<string, Matcher>(), insensitive: new Map<string, Matcher>() };

/** Does `value` match the wildcard pattern? */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  const cache = ignoreCase ? matchers.insensitive : matchers.sensitive;
  let matcher = cache.get(pattern);
  if (!matcher) {
    matcher = compileMatcher(pattern, ignoreCase);
    if (cache.size > CACHE_LIMIT) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher(value);
}

/**
 * The pattern as a test, once per pattern: ARN patterns are matched by the hundred thousand, and
 * a `*`-only pattern needs no regular expression (its literal parts, leftmost first).
 */
function compileMatcher(pattern: string, ignoreCase: boolean): Matcher {
  if (!hasWildcard(pattern)) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  if (ignoreCase || pattern.includes("?")) {
    const regex = wildcardRegex(pattern, ignoreCase);
    return (value) => regex.test(value);
  }
  const parts = pattern.split("*");
  const first = parts[0];
  const last = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const fixed = first.length + last.length;
  return (value) => {
    if (value.length < fixed || !value.startsWith(first) || !value.endsWith(last)) return false;
    let at = first.length;
    const end = value.length - last.length;
    for (const part of middle) {
      const found = value.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
