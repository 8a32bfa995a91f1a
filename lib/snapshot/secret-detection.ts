import type { Account, EnvironmentVariable } from "@/lib/snapshot/types";
import { environmentReferences, resolveEnvironmentReferences, resourceInventory, type EnvironmentReference, type ResourceInventory } from "@/lib/snapshot/environment-references";

/**
 * Reduce a Lambda function's environment variables to names plus hints: whether a value
 * looks like a secret (and why, in words that never include the value), and which resources
 * the value is an identifier of. Values are dropped here and never stored, logged or shown.
 *
 * Which resources a plain name refers to can only be told once the whole snapshot is read (a
 * name counts only when the snapshot holds that resource), so each variable's possible
 * references wait in `pending`, outside the snapshot, until `settleEnvironmentReferences`
 * resolves them against the snapshot's resources and drops them. Until then `referencedArns`
 * is empty: a reader that never settles loses hints, never leaks values.
 */
export function reduceEnvironment(variables: Record<string, string> | null | undefined): EnvironmentVariable[] {
  if (!variables) return [];
  return Object.entries(variables).map(([name, value]) => {
    const { variable, references } = classifyEnvironmentVariable(name, value);
    if (references.length > 0) pending.set(variable, references);
    return variable;
  });
}

const pending = new WeakMap<EnvironmentVariable, EnvironmentReference[]>();

/**
 * Fill every function's `referencedArns` from its variables' pending references, now that the
 * snapshot's resources are known, and forget the references. Call once, after all accounts are read.
 */
export function settleEnvironmentReferences(accounts: readonly Account[], inventory: ResourceInventory = resourceInventory(accounts)): void {
  for (const account of accounts) {
    for (const fn of account.functions) {
      for (const variable of fn.environment) {
        const references = pending.get(variable);
        if (!references) continue;
        pending.delete(variable);
        variable.referencedArns = resolveEnvironmentReferences(references, fn, inventory);
      }
    }
  }
}

/**
 * Classify one variable; the value is read here and nowhere else. `references` are the parts of
 * a non-secret value that may name a resource, for `settleEnvironmentReferences` alone.
 */
export function classifyEnvironmentVariable(name: string, value: string): { variable: EnvironmentVariable; references: EnvironmentReference[] } {
  const secretReason = valueSecretReason(name, value) ?? nameSecretReason(name, value);
  if (secretReason) return { variable: { name, looksSecret: true, secretReason, referencedArns: [] }, references: [] };
  return { variable: { name, looksSecret: false, secretReason: null, referencedArns: [] }, references: environmentReferences(value.trim()) };
}

// ---------------------------------------------------------------------------------------------
// Names

/** Words in a variable name that say the value is a credential. */
const SECRET_NAME_WORDS = ["PASSWORD", "PASSWD", "PWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "PRIVATEKEY"];
/** Adjacent word pairs that say the same. */
const SECRET_NAME_PAIRS = [
  ["API", "KEY"],
  ["PRIVATE", "KEY"],
  ["ACCESS", "KEY"],
  ["SECRET", "KEY"],
  ["AUTH", "KEY"],
  ["SIGNING", "KEY"],
  ["ENCRYPTION", "KEY"],
  ["MASTER", "KEY"],
  ["SESSION", "KEY"],
  ["CLIENT", "SECRET"],
  ["CONNECTION", "STRING"],
];
/**
 * A name ending in one of these refers to where a secret lives (DB_SECRET_ARN,
 * API_TOKEN_PARAMETER_NAME, TOKEN_TABLE) rather than holding it.
 */
const REFERENCE_SUFFIXES = new Set(["ARN", "NAME", "ID", "TABLE", "BUCKET", "QUEUE", "TOPIC", "STREAM", "PARAM", "PARAMETER", "PATH", "PREFIX", "REGION", "TTL", "EXPIRY", "EXPIRATION", "LENGTH", "HEADER", "URL", "ENDPOINT", "ENABLED", "VERSION"]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
}

function nameSecretReason(name: string, value: string): string | null {
  const words = nameWords(name);
  // `PWD` alone is the shell's working directory, not a password.
  if (words.length === 0 || name === "PWD") return null;
  if (REFERENCE_SUFFIXES.has(words[words.length - 1]) && words.length > 1) return null;
  // A flag, a number or an ARN under a secret-sounding name is configuration, not a credential.
  if (value.trim() === "" || isBooleanOrNumber(value) || isArn(value.trim()) || isQueueUrl(value.trim())) return null;
  for (let i = 0; i < words.length - 1; i++) {
    const pair = SECRET_NAME_PAIRS.find(([a, b]) => words[i] === a && words[i + 1] === b);
    if (pair) return `name contains ${pair.join("_")}`;
  }
  const word = words.find((w) => SECRET_NAME_WORDS.includes(w));
  return word ? `name contains ${word}` : null;
}

// ---------------------------------------------------------------------------------------------
// Values

const ACCESS_KEY_ID = /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/;
const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/;
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;
const URL_WITH_PASSWORD = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/;
const CREDENTIAL_QUERY_PARAMS = /[?&](?:api[_-]?key|apikey|key|token|access[_-]?token|auth|secret|password|pass|sig|signature|x-amz-signature|x-amz-security-token)=[^&\s]+/i;

function valueSecretReason(name: string, raw: string): string | null {
  const value = raw.trim();
  if (value === "") return null;
  if (PEM_PRIVATE_KEY.test(value)) return "value contains a PEM private key header";
  if (ACCESS_KEY_ID.test(value)) return "value has the shape of an AWS access key id";
  if (JWT.test(value)) return "value has the shape of a JSON Web Token";
  if (URL_WITH_PASSWORD.test(value)) return "value is a URL with an embedded password";
  if (isUrl(value)) return CREDENTIAL_QUERY_PARAMS.test(value) ? "value is a URL carrying a credential in its query string" : null;
  if (isArn(value)) return null;
  const words = nameWords(name);
  if (AWS_SECRET_SHAPE.test(value) && words.some((w) => w === "KEY" || w === "SECRET" || w === "ACCESS" || w === "AWS"))
    return "value has the shape of an AWS secret access key";
  if (hasHighEntropyRun(value)) return "value contains a long high-entropy string";
  return null;
}

/**
 * Random keys are long runs of base64/hex characters mixing letters and digits. Generated
 * resource names (Stack-OrdersTable-1A2B3C4D5E6F) and UUIDs break at `-`, so their runs stay short.
 */
function hasHighEntropyRun(value: string): boolean {
  for (const run of value.split(/[^A-Za-z0-9+/=]+/)) {
    const token = run.replace(/^\/+|\/+$/g, "");
    if (token.length < 20) continue;
    const hasDigit = /\d/.test(token);
    const hasLetter = /[A-Za-z]/.test(token);
    const mixedCase = /[a-z]/.test(token) && /[A-Z]/.test(token);
    if (!((hasDigit && hasLetter) || (mixedCase && token.length >= 30))) continue;
    if (shannonEntropy(token) >= 3.3) return true;
  }
  return false;
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function isBooleanOrNumber(value: string): boolean {
  return /^(true|false|yes|no|on|off)$/i.test(value.trim()) || /^-?\d+(\.\d+)?$/.test(value.trim());
}

function isArn(value: string): boolean {
  return /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:\S+$/.test(value);
}

function isUrl(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(value);
}

function isQueueUrl(value: string): boolean {
  return /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[A-Za-z0-9_-]+(\.fifo)?$/.test(value) || /^https:\/\/queue\.amazonaws\.com\/\d{12}\//.test(value);
}

