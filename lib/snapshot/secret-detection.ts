import type { EnvironmentVariable } from "@/lib/snapshot/types";

/**
 * Reduce a Lambda function's environment variables to names plus hints: whether a value
 * looks like a secret (and why, in words that never include the value), and which ARNs or
 * resource names a non-secret value points at. Values are dropped here and never stored.
 */
export function reduceEnvironment(variables: Record<string, string> | null | undefined): EnvironmentVariable[] {
  if (!variables) return [];
  return Object.entries(variables).map(([name, value]) => classifyEnvironmentVariable(name, value));
}

/** Classify one variable; the value is read here and nowhere else. */
export function classifyEnvironmentVariable(name: string, value: string): EnvironmentVariable {
  const secretReason = valueSecretReason(name, value) ?? nameSecretReason(name, value);
  if (secretReason) return { name, looksSecret: true, secretReason, referencedArns: [], referencedNames: [] };
  return { name, looksSecret: false, secretReason: null, referencedArns: findArns(value), referencedNames: findResourceNames(name, value) };
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

// ---------------------------------------------------------------------------------------------
// References (only computed for values that are not secret)

const ARN_IN_TEXT = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[^\s,;"'`<>(){}[\]|]+/g;

function findArns(value: string): string[] {
  return unique((value.match(ARN_IN_TEXT) ?? []).map((arn) => arn.replace(/[.]+$/, "")));
}

/** Words that are configuration values, not resource names. */
const NOT_NAMES = new Set([
  "true", "false", "yes", "no", "on", "off", "none", "null", "undefined", "enabled", "disabled",
  "debug", "info", "warn", "warning", "error", "fatal", "trace", "verbose", "silent",
  "dev", "development", "test", "testing", "stage", "staging", "prod", "production", "local", "sandbox", "qa",
  "json", "text", "utf-8", "utf8", "gzip", "lambda", "node", "python", "latest",
]);
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
/** Name words that say a plain single word is a resource name (ORDERS_TABLE=orders). */
const RESOURCE_NAME_WORDS = new Set(["TABLE", "BUCKET", "QUEUE", "TOPIC", "STREAM", "FUNCTION", "NAME", "INDEX", "CLUSTER", "DATABASE", "DB", "SECRET", "PARAM", "PARAMETER", "KEY", "GROUP", "DOMAIN", "REPOSITORY", "REPO", "FIREHOSE", "STATE", "MACHINE"]);

function findResourceNames(name: string, raw: string): string[] {
  const value = raw.trim();
  if (value === "" || isArn(value)) return [];
  const names: string[] = [];
  if (isUrl(value)) {
    const fromUrl = resourceNameFromUrl(value);
    if (fromUrl) names.push(fromUrl);
    return unique(names);
  }
  const host = resourceNameFromAwsHostname(value);
  if (host !== undefined) return host ? [host] : [];
  const nameHintsResource = nameWords(name).some((w) => RESOURCE_NAME_WORDS.has(w));
  for (const part of value.split(/\s*,\s*/)) {
    if (isPlausibleResourceName(part, nameHintsResource)) names.push(part);
  }
  return unique(names);
}

function isPlausibleResourceName(part: string, nameHintsResource: boolean): boolean {
  // SSM parameter paths (/prod/orders/db) are names too.
  if (/^(\/[A-Za-z0-9_.-]+){2,}$/.test(part)) return true;
  // Prefixes (orders-) are patterns, not names.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,253}[A-Za-z0-9]$/.test(part) || part.length < 3) return false;
  if (NOT_NAMES.has(part.toLowerCase()) || REGION.test(part) || isBooleanOrNumber(part)) return false;
  if (/^v?\d+(\.\d+)+$/.test(part) || /^\d{12}$/.test(part)) return false;
  // A lone word (orders) is a name only when the variable's name says so; compound names stand alone.
  return /[-_.\d]/.test(part) || nameHintsResource;
}

function resourceNameFromUrl(url: string): string | null {
  const queue = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/\d{12}\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (queue) return queue[1];
  const s3Uri = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/|$)/.exec(url);
  if (s3Uri) return s3Uri[1];
  const virtualHost = /^https?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com/.exec(url);
  if (virtualHost) return virtualHost[1];
  const openSearch = /^https?:\/\/(?:search|vpc)-([a-z][a-z0-9-]{2,27})-[a-z0-9]+\.[a-z0-9-]+\.es\.amazonaws\.com(\/|$)/.exec(url);
  if (openSearch) return openSearch[1];
  const pathStyle = /^https?:\/\/s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/|$)/.exec(url);
  if (pathStyle) return pathStyle[1];
  return null;
}

/**
 * An AWS service hostname names its resource in the first label (RDS: `<cluster>.cluster-<id>.<region>.rds.amazonaws.com`);
 * undefined when the value is not an AWS hostname, null when it is one without a usable name.
 */
function resourceNameFromAwsHostname(value: string): string | null | undefined {
  if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?(:\d+)?$/.test(value)) return undefined;
  const rds = /^([a-z][a-z0-9-]*)\.(?:cluster-(?:ro-|custom-)?)?[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com(\.cn)?(:\d+)?$/.exec(value);
  return rds ? rds[1] : null;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
