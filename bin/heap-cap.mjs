// The heap cap a scan of a snapshot directory needs. V8's --max-old-space-size is process-wide and
// overrides a worker's own resourceLimits, so the CLI decides it before it starts the process that
// scans (bin/saltzer.mjs); lib/jobs/heap-projection.ts still stops a scan early when it will not fit.
import fs from "node:fs";
import path from "node:path";

/**
 * What the analysis keeps (scripts/heap-growth.ts, retained heap at its peak, and the 100,000-function
 * scan's worker): a fixed part (the action data, code) and about this much per function (the
 * snapshot, permission sets, capabilities).
 */
export const HEAP_FIXED_MIB = 64;
export const HEAP_KIB_PER_FUNCTION = 9.5;
/**
 * Up to this many functions a scan runs in the CLI's own process, without the cap: the cap costs a
 * second node start, ~0.2-0.25 s before the scan even opens its store, on every scan and rescan.
 * Uncapped, V8 collects later and the peak is ~130-140 MB higher (measured on the generated
 * organizations: 10,000 functions 799 MB against 661 MB capped, 20,000 functions 1,016 MB against
 * 884 MB), still under the 1 GiB a 10,000-function scan may take; past this, the cap keeps a large
 * organization's peak in bounds (100,000 functions: 2 GiB).
 */
export const UNCAPPED_SCAN_FUNCTIONS = 20_000;

/** Room for V8 to collect in above what is kept, as the projection advises (less: it spends its time collecting; more: RSS grows past 2 GiB at 100,000 functions). */
const HEAP_ROOM = 1.25;

/**
 * The heap cap (MiB) for this many functions: `configured` (SALTZER_HEAP_MB) when set; else the
 * default, raised to what the functions need, but never above three quarters of the machine's
 * memory: an organization too large for the machine then stops early with the projection's advice
 * instead of swapping.
 */
export function analysisHeapMb(functions, { configured, defaultMb, machineMb }) {
  if (configured !== undefined) return configured;
  const needed = Math.ceil(((HEAP_FIXED_MIB + (functions * HEAP_KIB_PER_FUNCTION) / 1024) * HEAP_ROOM) / 256) * 256;
  const most = Math.floor((machineMb * 0.75) / 256) * 256;
  return Math.max(defaultMb, Math.min(needed, most));
}

/**
 * The functions of a snapshot directory (AWS CLI layout), counted in its list-functions files only;
 * 0 when it has none. With `atMost`, counting stops once the count passes it (a caller that only
 * compares with a threshold need not read a large organization's files whole).
 */
export function snapshotFunctionCount(dir, atMost = Infinity) {
  let functions = 0;
  const accounts = path.join(dir, "accounts");
  for (const account of subdirectories(accounts)) {
    for (const region of subdirectories(path.join(accounts, account, "regions"))) {
      const file = path.join(accounts, account, "regions", region, "lambda", "list-functions.json");
      functions += unlessUnreadable(() => (fs.statSync(file).isFile() ? occurrences(fs.readFileSync(file), FUNCTION_ARN_KEY) : 0), 0);
      if (functions > atMost) return functions;
    }
  }
  return functions;
}

/** The directory a command's `--snapshot DIR` names (scan, check, can), or null without one. */
export function snapshotOption(args) {
  const at = args.findIndex((a) => a === "--snapshot" || a.startsWith("--snapshot="));
  if (at < 0) return null;
  return (args[at].startsWith("--snapshot=") ? args[at].slice("--snapshot=".length) : args[at + 1]) || null;
}

const FUNCTION_ARN_KEY = Buffer.from('"FunctionArn"');

/** How often `needle` occurs in `bytes`, searched as bytes (no decoding: this runs before every large scan). */
function occurrences(bytes, needle) {
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) count++;
  return count;
}

function subdirectories(dir) {
  return unlessUnreadable(() => fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name), []);
}

/** Errors of a snapshot path that is missing, of the wrong kind or unreadable. */
const UNREADABLE = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "ELOOP"]);

/**
 * The count only sizes the heap: a path that cannot be read counts as nothing here, and the scan
 * itself then names the file and what is wrong with it.
 */
function unlessUnreadable(read, fallback) {
  try {
    return read();
  } catch (error) {
    if (error && UNREADABLE.has(error.code)) return fallback;
    throw error;
  }
}
