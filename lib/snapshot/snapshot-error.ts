import type { z } from "zod";

/**
 * A snapshot file that cannot be read as the AWS CLI output it should be.
 * The message always names the file (relative to the snapshot root) and the JSON path,
 * and never echoes values from the file (they may be secrets).
 */
export class SnapshotError extends Error {
  readonly file: string;
  readonly jsonPath: string;
  readonly detail: string;

  /** `jsonPath` may be empty for a problem with a whole file or directory. */
  constructor(file: string, jsonPath: string, detail: string) {
    file = visible(file);
    jsonPath = visible(jsonPath);
    detail = visible(detail);
    super(jsonPath ? `${file}: ${jsonPath}: ${detail}` : `${file}: ${detail}`);
    this.name = "SnapshotError";
    this.file = file;
    this.jsonPath = jsonPath;
    this.detail = detail;
  }
}

/**
 * File and key names come from the snapshot: control characters (terminal escapes) and bidi
 * overrides in them are shown as `\u001b`, so the error line says what it is and nothing more.
 */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `$`, `$.Functions[3].Role`, `$.Variables["my-key"]`. */
export function formatJsonPath(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Turn the first zod issue into a SnapshotError. Zod's own messages never include the
 * input value unless asked to, which is why only `expected`/`code` fields are used here.
 */
export function snapshotErrorFromZod(file: string, basePath: string, error: z.ZodError): SnapshotError {
  const { issue, path } = innermostIssue(error.issues[0], error.issues[0].path);
  return new SnapshotError(file, formatJsonPath(basePath, path), describeIssue(issue));
}

/**
 * For a union (e.g. `Statement` is an object or an array), report the branch whose type
 * matched and failed deeper in, rather than "expected object or array".
 */
function innermostIssue(issue: z.core.$ZodIssue, path: PropertyKey[]): { issue: z.core.$ZodIssue; path: PropertyKey[] } {
  if (issue.code !== "invalid_union") return { issue, path };
  for (const branch of issue.errors) {
    const deeper = branch.find((sub) => !(sub.code === "invalid_type" && sub.path.length === 0));
    if (deeper) return innermostIssue(deeper, [...path, ...deeper.path]);
  }
  return { issue, path };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.message.includes("received undefined") ? `expected ${issue.expected}, but it is missing` : `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      const expected = new Set<string>();
      for (const branch of issue.errors) for (const sub of branch) if (sub.code === "invalid_type" && sub.path.length === 0) expected.add(sub.expected);
      const missing = issue.errors.some((branch) => branch.some((sub) => sub.message.includes("received undefined")));
      if (expected.size > 0) return `expected ${[...expected].join(" or ")}${missing ? ", but it is missing" : ""}`;
      return issue.message;
    }
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

/**
 * JSON.parse messages in Node 20+ quote a slice of the input, which could be a secret:
 * keep only the part before the quoted slice, plus the position when V8 gives one.
 */
export function describeJsonSyntaxError(error: unknown, text?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  const head = message.split('"')[0].replace(/ in JSON at position.*$/, "").replace(/[\s,]+$/, "");
  if (position === undefined) return `invalid JSON (${head})`;
  const offset = Number(position);
  if (text === undefined) return `invalid JSON (${head} at position ${offset})`;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `invalid JSON (${head} at line ${line} column ${column})`;
}
