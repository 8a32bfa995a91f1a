/**
 * The crawler keeps each API response in the shape the AWS CLI prints it (pages merged,
 * no pagination tokens, no `$metadata`), so the offline reader's normalization applies as is.
 */

/** Plain JSON: Dates become ISO strings, `undefined` members disappear, `$metadata` is dropped. */
export function toCliJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === "$metadata" ? undefined : v))) as T;
}

const POLICY_DOCUMENT_KEYS = new Set(["AssumeRolePolicyDocument", "PolicyDocument", "Document"]);

/**
 * IAM's raw API returns policy documents URL-encoded (RFC 3986); the CLI prints them decoded.
 * A document that does not decode to JSON is kept as the string, so the reader reports it with its path.
 */
export function decodeIamPolicyDocuments<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => decodeIamPolicyDocuments(v)) as T;
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = POLICY_DOCUMENT_KEYS.has(key) && typeof v === "string" ? decodePolicyString(v) : decodeIamPolicyDocuments(v);
  }
  return out as T;
}

function decodePolicyString(text: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(text.replace(/\+/g, "%20")));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof URIError) return text;
    throw error;
  }
}
