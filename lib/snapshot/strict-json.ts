import { SnapshotError, describeJsonSyntaxError, formatJsonPath } from "@/lib/snapshot/snapshot-error";

/**
 * Strict JSON for untrusted snapshot files. JSON.parse keeps the last of two equal keys (a second
 * `"Functions": []` silently dropped every function), accepts any nesting depth (which later
 * recursive code turns into a stack overflow), and strings with NUL or lone surrogates (which the
 * database refuses with a raw error). Every such input becomes a SnapshotError naming the file and
 * the JSON path instead.
 */

/** Deepest nesting accepted. AWS CLI output nests about 10 levels (a policy condition inside a role inside the list). */
export const MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decode, parse and check one file's bytes; throws SnapshotError(file, path, reason). */
export function parseStrictJson(bytes: Uint8Array, file: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new SnapshotError(file, "", `is not valid UTF-8 text (first bad byte at offset ${firstInvalidUtf8Byte(bytes)})`);
  }
  return parseStrictJsonText(text, file);
}

/** As parseStrictJson, for text already decoded (a policy document inside a JSON string). */
export function parseStrictJsonText(text: string, file: string, basePath = "$"): unknown {
  let value: unknown;
  try {
    // V8's JSON.parse is iterative: deep nesting cannot overflow the stack here, only in later code.
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(file, basePath === "$" ? "$" : basePath, describeJsonSyntaxError(error, text));
  }
  checkJsonText(text, file, basePath);
  checkJsonValue(value, file, basePath);
  return value;
}

type Frame = { kind: "object"; keys: Set<string>; key: string | null } | { kind: "array"; index: number };

/**
 * One pass over text JSON.parse accepted: rejects duplicate keys and nesting deeper than
 * MAX_JSON_DEPTH, naming the JSON path. Iterative, so hostile nesting cannot overflow the stack.
 */
function checkJsonText(text: string, file: string, basePath: string): void {
  const stack: Frame[] = [];
  // The path to the current position: each open container's current key or index (none yet before an object's first key).
  const where = () => formatJsonPath(basePath, stack.flatMap((f): (string | number)[] => (f.kind === "array" ? [f.index] : f.key === null ? [] : [f.key])));
  let expectKey = false;
  // Jump from one structural character to the next (the regex engine skips white space and literals fast).
  const structural = /["{}[\],]/g;
  for (let match = structural.exec(text); match !== null; match = structural.exec(text)) {
    const i = match.index;
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = endOfString(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const frame = stack[stack.length - 1] as Extract<Frame, { kind: "object" }>;
        if (frame.keys.has(key)) {
          frame.key = null;
          throw new SnapshotError(file, formatJsonPath(where(), [key]), "duplicate key (JSON allows it, but which value counts is ambiguous)");
        }
        frame.keys.add(key);
        frame.key = key;
        expectKey = false;
      }
      structural.lastIndex = end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_JSON_DEPTH) throw new SnapshotError(file, shortPath(where()), `nested deeper than ${MAX_JSON_DEPTH} levels`);
      stack.push(c === 0x7b ? { kind: "object", keys: new Set(), key: null } : { kind: "array", index: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const frame = stack[stack.length - 1];
      if (frame.kind === "array") frame.index++;
      else expectKey = true;
    }
  }
}

/** A path 64 levels deep is unreadable: keep where the nesting starts, then the first levels of it. */
function shortPath(jsonPath: string): string {
  const start = jsonPath.indexOf("[0][0][0][0]");
  return start >= 0 && jsonPath.length > start + 12 ? `${jsonPath.slice(0, start + 12)}…` : jsonPath;
}

/** Index of the quote that closes the string opening at `start` (the text is valid JSON). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/**
 * Rejects NUL characters and lone surrogates in any string or key (neither is text: PostgreSQL
 * refuses both, and AWS never returns them) and nesting deeper than MAX_JSON_DEPTH. Iterative.
 * Used on parsed files and on the live crawl's in-memory responses alike.
 */
export function checkJsonValue(value: unknown, file: string, basePath = "$"): void {
  // Each entry keeps a link to its parent, so a path is only built for the one value that fails.
  type Entry = { value: unknown; key: PropertyKey | null; parent: Entry | null; depth: number };
  const pathOf = (entry: Entry | null): PropertyKey[] => {
    const segments: PropertyKey[] = [];
    for (let e = entry; e && e.key !== null; e = e.parent) segments.unshift(e.key);
    return segments;
  };
  const stack: Entry[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof v === "string") {
      const problem = badText(v);
      if (problem) throw new SnapshotError(file, formatJsonPath(basePath, pathOf(entry)), problem);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (entry.depth >= MAX_JSON_DEPTH) throw new SnapshotError(file, shortPath(formatJsonPath(basePath, pathOf(entry))), `nested deeper than ${MAX_JSON_DEPTH} levels`);
    const depth = entry.depth + 1;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: entry, depth });
      continue;
    }
    for (const key of Object.keys(v)) {
      const problem = badText(key);
      if (problem) throw new SnapshotError(file, formatJsonPath(basePath, pathOf(entry)), `a key ${problem}`);
      stack.push({ value: (v as Record<string, unknown>)[key], key, parent: entry, depth });
    }
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Only NUL and surrogates (U+D800-U+DFFF) need a closer look; most strings have neither.
const SUSPECT = /[\u0000\ud800-\udfff]/;

function badText(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  if (s.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(s)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Binary search on prefixes would mis-handle split sequences; a linear scan of valid lengths is simple and rare.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}
