/**
 * The commands but `rules` (cli/rules-command.ts), loaded by `main` only when one of them runs:
 * they import the store, the analysis and the crawler, which `--help` does not need.
 */
import fs from "node:fs";
import path from "node:path";
import { runScan, type ScanResult, type ScanSource } from "@/lib/jobs/run-scan";
import { analysisWorkerFiles, prepareAnalysisWorker } from "@/lib/jobs/analyse-in-worker";
import { CRAWL_FLAG_OPTIONS, parseCrawlFlags, type CrawlOptions } from "@/lib/collect/crawl-organization";
import { describeCrawlStats } from "@/lib/store/crawl-stats";
import { SEVERITIES } from "@/lib/analysis/types";
import os from "node:os";
import { latestCompleteScanId, openJsonReport } from "@/lib/queries/json-report";
import { analysisView, loadScanView } from "@/lib/queries/scan-view";
import { diffStoredScans, formatDiff } from "@/lib/queries/diff-scans";
import { storedSuppressions, suppressionMatcher, type SuppressionEntry } from "@/lib/queries/suppressions";
import { VIEW_FILTER_FLAGS, viewFilterFromFlags, type ViewFilter } from "@/lib/queries/view-filter";
import { deleteSuppressions, saveSuppression } from "@/lib/store/suppressions";
import { isReportFormat, REPORT_FORMATS, streamReport, streamReportBytes, type ReportFormat } from "@/lib/report/render-report";
import type { Database } from "@/lib/store/db";
import { env } from "@/lib/env";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import type { Snapshot } from "@/lib/snapshot/types";
import { loadSnapshot } from "@/lib/store/load-snapshot";
import { decideCan, formatCan, parseContext } from "./can-command";
import { exitCode, formatGate, gate, gapsInScope, parseSeverity } from "./check-command";
import { formatSuppressions, parseExpiry, resolveFunction } from "./suppress-command";
import { readSuppressionsFile } from "./suppressions-file";
import { analyzeSnapshot } from "@/lib/audit/analyze-snapshot";
import fsSync from "node:fs";
import { createProgressBar } from "./progress-bar";
import { openStore } from "./open-store";
import { cancelOnSignals, signalExitCode } from "./cancel-on-signals";
import { safeTerminalBlock, safeTerminalJson, safeTerminalText } from "./terminal-text";

import { parse, UsageError, type Out } from "./command-io";

async function withStore<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openStore();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function formatOption(value: unknown): ReportFormat | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !isReportFormat(value)) throw new UsageError(`--format ${String(value)} is not supported (supported: ${REPORT_FORMATS.join(", ")}).`);
  return value;
}

function filtersFrom(values: Record<string, unknown>): ViewFilter {
  const { filter, error } = viewFilterFromFlags(values);
  if (error) throw new UsageError(`Bad filter: ${error}`);
  return filter;
}

function suppressionsFrom(value: unknown): SuppressionEntry[] {
  if (value === undefined) return [];
  try {
    return readSuppressionsFile(path.resolve(String(value)));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Streams the report: pieces are written while the functions are read page by page. */
async function writeReport(db: Database, scanId: number, format: ReportFormat, outFile: string | undefined, out: Out, filter: ViewFilter, extraSuppressions: SuppressionEntry[] = []): Promise<void> {
  const source = await openJsonReport(db, scanId, { filter, extraSuppressions });
  if (outFile) {
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    const fd = fs.openSync(outFile, "w");
    try {
      for await (const chunk of streamReportBytes(source, format)) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    out.stderr.write(`Report written to ${safeTerminalText(outFile)}\n`);
  } else {
    // Each piece ends at a function's end (never inside a CR LF), so escaping piece by piece is escaping the whole.
    for await (const piece of streamReport(source, format)) {
      out.stdout(reportForTerminal(piece, format, out.stdoutIsTerminal === true));
      await out.drain?.();
    }
  }
}

/**
 * A report printed on standard output. JSON and SARIF keep their meaning (escapes a parser
 * reads back as the same text); CSV and HTML are escaped only on a terminal, so a redirect to
 * a file still gets the exact bytes.
 */
export function reportForTerminal(body: string, format: ReportFormat, isTerminal: boolean): string {
  if (format === "json" || format === "sarif") return safeTerminalJson(body);
  return isTerminal ? safeTerminalBlock(body) : body;
}

const CRAWL_OPTIONS = {
  aws: { type: "boolean" },
  ...CRAWL_FLAG_OPTIONS,
  "save-snapshot": { type: "string" },
  endpoint: { type: "string" },
  queue: { type: "boolean" },
  "job-timeout": { type: "string" },
} as const;

async function scanCommand(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, {
    snapshot: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    quiet: { type: "boolean" },
    suppressions: { type: "string" },
    full: { type: "boolean" },
    ...CRAWL_OPTIONS,
  });
  const fileSuppressions = suppressionsFrom(values.suppressions);
  if (Boolean(values.snapshot) === Boolean(values.aws)) throw new UsageError("scan needs --snapshot DIR (offline) or --aws (live crawl), not both.");
  const format = formatOption(values.format);
  if (values.out && !format) throw new UsageError(`--out needs --format (${REPORT_FORMATS.join(", ")}).`);
  let source: ScanSource;
  if (values.snapshot) {
    for (const flag of Object.keys(CRAWL_OPTIONS)) if (flag !== "aws" && values[flag as keyof typeof values] !== undefined) throw new UsageError(`--${flag} goes with --aws.`);
    source = { kind: "directory", dir: path.resolve(String(values.snapshot)) };
  } else {
    let crawl: CrawlOptions;
    try {
      crawl = parseCrawlFlags(values);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // For testing against a local AWS replay server only.
    if (values.endpoint) crawl = { ...crawl, endpoint: String(values.endpoint) };
    if (values["job-timeout"] !== undefined && !values.queue) throw new UsageError("--job-timeout goes with --queue.");
    if (values.queue) {
      if (!env().DATABASE_URL) throw new UsageError("--queue needs PostgreSQL: set DATABASE_URL (the same one for every `saltzer worker`). Without it the crawl's jobs run in this process.");
      crawl = { ...crawl, queue: true, jobTimeoutSeconds: jobTimeout(values["job-timeout"]) };
    }
    source = { kind: "aws", crawl };
  }
  // The analysis worker starts now and reads the snapshot while the store opens.
  const workerFiles = source.kind === "directory" ? analysisWorkerFiles() : null;
  const preparedWorker = source.kind === "directory" && workerFiles ? prepareAnalysisWorker(workerFiles, { snapshotDir: source.dir, readCacheDir: env().readCacheDir }) : undefined;
  return withStore(async (db) => {
    const bar = createProgressBar(out.stderr, !values.quiet);
    const cancellation = cancelOnSignals((signal) => out.stderr.write(`\nsaltzer: ${signal} again: stopping now; the scan was not stored.\n`));
    let result: ScanResult;
    try {
      result = await runScan(db, source, {
        signal: cancellation.signal,
        onProgress: (p) => bar.update(p.phase, p.overall.overall, p.message),
        reuse: !values.full,
        preparedWorker,
        readCacheDir: env().readCacheDir,
      });
    } catch (error) {
      const signal = cancellation.received();
      if (signal === null) throw error;
      // runScan marked the scan cancelled and rolled its rows back, whatever step it was in.
      bar.done();
      out.stderr.write(`saltzer: ${signal}: scan cancelled; nothing of it was stored.\n`);
      return signalExitCode(signal);
    } finally {
      bar.done();
      cancellation.dispose();
      if (source.kind === "aws" && source.crawl.saveSnapshotDir) warnSavedSnapshotHoldsValues(source.crawl.saveSnapshotDir, out);
    }
    const lateSignal = cancellation.received();
    if (lateSignal !== null) {
      out.stderr.write(`saltzer: ${lateSignal} arrived as scan ${result.scanId} was committed: it is stored (${result.status}); no summary or report follows.\n`);
      return signalExitCode(lateSignal);
    }
    const { scanned } = result;
    const bySeverity = SEVERITIES.map((s) => `${result.summary?.findingsBySeverity[s] ?? 0} ${s}`).join(", ");
    const riskiest = result.summary?.riskiest ?? [];
    const summary = [
      `Scan ${result.scanId} ${result.status}: ${scanned.accounts} accounts, ${scanned.regions} regions, ${scanned.functions} functions`,
      `  source: ${source.kind === "directory" ? source.dir : "AWS"}`,
      `  findings: ${result.summary?.findings ?? 0} (${bySeverity})`,
      ...riskiest.map((r) => `  risk ${String(r.score).padStart(3)} ${r.severity.padEnd(8)} ${r.functionArn}`),
      ...(result.reused ? [`  reused: the analysis of ${result.reused.accounts} unchanged account(s) from scan ${result.reused.fromScanId}; ${scanned.accounts - result.reused.accounts} analysed`] : []),
      `  timings: ${(result.timings.totalMs / 1000).toFixed(2)} s in all: read ${(result.timings.parseMs / 1000).toFixed(2)} s, analyse ${(result.timings.analyseMs / 1000).toFixed(2)} s, store ${(result.timings.storeMs / 1000).toFixed(2)} s (analysis and storage overlap)`,
      ...(result.crawlStats ? [`  crawl: ${describeCrawlStats(result.crawlStats)}`, ...Object.entries(result.crawlStats.byApi).map(([api, s]) => `    ${api}: ${s.apiCalls} calls, ${s.retries} retries, ${s.throttled} throttled`)] : []),
      ...scanned.gaps.map((g) => `  gap: ${[g.accountId, g.region, g.api].filter(Boolean).join(" ")}${g.file ? ` (${g.file})` : ""}: ${g.message}`),
    ];
    const target = format && !values.out ? (s: string) => out.stderr.write(s) : out.stdout;
    target(`${summary.map(safeTerminalText).join("\n")}\n`);
    if (format) await writeReport(db, result.scanId, format, values.out as string | undefined, out, {}, fileSuppressions);
    return 0;
  }).finally(() => preparedWorker?.stop());
}

function jobTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  // pg-boss expires jobs after at most a day.
  if (!Number.isInteger(seconds) || seconds < 2 || seconds >= 86_400) throw new UsageError(`--job-timeout ${String(value)}: expected whole seconds from 2 to 86399.`);
  return seconds;
}

/** `saltzer worker`: runs queued crawl jobs until SIGINT/SIGTERM/SIGHUP, then lets running jobs finish. */
async function workerCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { concurrency: { type: "string" }, profile: { type: "string" }, quiet: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`worker takes no arguments (got ${positionals.join(" ")}).`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) throw new UsageError(`--concurrency ${String(values.concurrency)}: expected a whole number from 1 to 256.`);
  if (!env().DATABASE_URL) throw new UsageError("worker needs DATABASE_URL: the PostgreSQL database whose queue `saltzer scan --aws --queue` fills.");
  const { runCrawlWorker, DEFAULT_WORKER_CONCURRENCY } = await import("@/lib/jobs/crawl-queue");
  return withStore(async (db) => {
    const stop = cancelOnSignals((signal) => out.stderr.write(`\nsaltzer worker: ${signal} again: stopping now; its running jobs go to other workers once they expire.\n`));
    const ready = () =>
      out.stderr.write(`saltzer worker ${process.pid}: taking crawl jobs from ${safeTerminalText(db.location)} (${concurrency ?? DEFAULT_WORKER_CONCURRENCY} jobs at once); Ctrl-C stops after the running jobs.\n`);
    try {
      await runCrawlWorker(db, { concurrency, profile: values.profile as string | undefined, signal: stop.signal, onReady: ready, log: values.quiet ? undefined : (line) => out.stderr.write(`${safeTerminalText(line)}\n`) });
    } finally {
      stop.dispose();
    }
    const signal = stop.received();
    out.stderr.write(`saltzer worker ${process.pid}: stopped${signal ? ` (${signal})` : ""}.\n`);
    return 0;
  });
}

/** Said once, whenever a crawl saved its files (even if storing the scan then failed). */
function warnSavedSnapshotHoldsValues(dir: string, out: Out) {
  if (!fsSync.existsSync(dir) || fsSync.readdirSync(dir).length === 0) return;
  out.stderr.write(
    `Note: the snapshot saved in ${path.resolve(dir)} contains the functions' environment variable values as AWS returned them, secrets included. Its files are readable by you only (0600); keep it as you would keep those secrets.\n`,
  );
}

async function resolveScanId(db: Database, value: unknown): Promise<number> {
  if (value === undefined) {
    const latest = await latestCompleteScanId(db);
    if (latest === null) throw new UsageError("No complete scan is stored yet. Run: saltzer scan --snapshot DIR");
    return latest;
  }
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`--scan ${String(value)} is not a scan id.`);
  return id;
}

async function reportCommand(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, { scan: { type: "string" }, format: { type: "string" }, out: { type: "string" }, suppressions: { type: "string" }, ...VIEW_FILTER_FLAGS });
  const format = formatOption(values.format ?? "json") ?? "json";
  const filters = filtersFrom(values);
  const fileSuppressions = suppressionsFrom(values.suppressions);
  return withStore(async (db) => {
    const scanId = await resolveScanId(db, values.scan);
    await writeReport(db, scanId, format, values.out as string | undefined, out, filters, fileSuppressions);
    return 0;
  });
}

/** Used by `npm start`: the dashboard opens on data, not on an empty page. */
async function firstStartCommand(_args: string[], out: Out): Promise<number> {
  const hasScan = await withStore(async (db) => (await latestCompleteScanId(db)) !== null);
  if (hasScan) return 0;
  out.stderr.write(`First start: scanning ${safeTerminalText(env().snapshotDir)} into the store…\n`);
  return scanCommand(["--snapshot", env().snapshotDir], out);
}

/** The snapshot a read-only command works on: `--snapshot DIR` directly, or a stored scan. */
async function snapshotFor(values: { snapshot?: unknown; scan?: unknown }): Promise<Snapshot> {
  if (values.snapshot !== undefined && values.scan !== undefined) throw new UsageError("Give --snapshot or --scan, not both.");
  if (values.snapshot !== undefined) return readSnapshotDir(path.resolve(String(values.snapshot)));
  return withStore(async (db) => loadSnapshot(db, await resolveScanId(db, values.scan)));
}

async function canCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, {
    context: { type: "string", multiple: true },
    json: { type: "boolean" },
    snapshot: { type: "string" },
    scan: { type: "string" },
  });
  if (positionals.length !== 3) throw new UsageError("Usage: saltzer can FUNCTION ACTION RESOURCE [--context key=value …] [--json] [--snapshot DIR | --scan ID]");
  const [fn, action, resource] = positionals;
  if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(action)) throw new UsageError(`"${action}" is not an IAM action (service:Action).`);
  const context = parseContext((values.context as string[] | undefined) ?? [], (m) => new UsageError(m));
  const snapshot = await snapshotFor(values);
  let decision;
  try {
    decision = await decideCan(snapshot, fn, action, resource, context);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.json) {
    out.stdout(`${safeTerminalJson(JSON.stringify({ decision: decision.decision, conditional: decision.conditional, function: decision.function, action, resource, context, summary: decision.summary, allowedBy: decision.allowedBy, deniedBy: decision.deniedBy, ...(decision.perResource ? { scope: decision.scope ?? null, perResource: decision.perResource.map((r) => ({ resource: r.resource, decision: r.decision.decision, conditional: r.decision.conditional, summary: r.decision.summary })) } : {}) }, null, 2))}\n`);
  } else {
    out.stdout(formatCan(decision));
  }
  return 0;
}

/** Is there a store to read suppressions and baselines from, without creating one? */
function storeExists(): boolean {
  return Boolean(env().DATABASE_URL) || fsSync.existsSync(path.join(env().dataDir, "pgdata"));
}

async function checkCommand(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, {
    snapshot: { type: "string" },
    scan: { type: "string" },
    "fail-on": { type: "string" },
    baseline: { type: "string" },
    suppressions: { type: "string" },
    "allow-incomplete": { type: "boolean" },
    ...VIEW_FILTER_FLAGS,
  });
  const failOn = parseSeverity(values["fail-on"], (m) => new UsageError(m));
  if ((values.snapshot === undefined) === (values.scan === undefined)) throw new UsageError("check needs --snapshot DIR or --scan ID.");
  const filter = filtersFrom(values);
  const fileSuppressions = suppressionsFrom(values.suppressions);
  const needStore = values.scan !== undefined || values.baseline !== undefined || storeExists();
  let stored: SuppressionEntry[] = [];
  let baseline: Set<string> | null = null;
  let baselineId: number | null = null;
  let view;
  let gaps;
  if (needStore) {
    const read = await withStore(async (db) => {
      const scanId = values.scan !== undefined ? await resolveScanId(db, values.scan) : null;
      const result = {
        stored: await storedSuppressions(db),
        view: scanId !== null ? await loadScanView(db, scanId, { extraSuppressions: fileSuppressions, search: Boolean(filter.q?.trim()) }) : null,
        baselineId: values.baseline !== undefined ? await resolveScanId(db, values.baseline) : null,
        baseline: null as Set<string> | null,
      };
      if (result.baselineId !== null) {
        const before = await loadScanView(db, result.baselineId);
        result.baseline = new Set(before.functions.flatMap((f) => f.findings.map((x) => x.fingerprint)));
      }
      return result;
    });
    stored = read.stored;
    view = read.view;
    gaps = read.view?.gaps;
    baseline = read.baseline;
    baselineId = read.baselineId;
  }
  if (values.snapshot !== undefined) {
    // Analysed in memory: a CI gate needs no database.
    const snapshot = await readSnapshotDir(path.resolve(String(values.snapshot)));
    const analysis = await analyzeSnapshot(snapshot);
    view = analysisView(snapshot, analysis, suppressionMatcher([...stored, ...fileSuppressions]));
    gaps = snapshot.gaps;
  }
  if (!view) throw new UsageError("check needs --snapshot DIR or --scan ID.");
  const scopedGaps = gapsInScope(gaps ?? [], filter);
  const result = gate(view.functions, filter, failOn, baseline, Boolean(values["allow-incomplete"]), scopedGaps);
  out.stdout(formatGate(result, failOn, baselineId, scopedGaps));
  return exitCode(result);
}

async function suppressCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: "string" }, expires: { type: "string" }, scan: { type: "string" } });
  if (positionals.length !== 2) throw new UsageError("Usage: saltzer suppress FUNCTION RULE --reason R [--expires YYYY-MM-DD] [--scan ID]");
  const reason = String(values.reason ?? "").trim();
  if (reason.length < 3) throw new UsageError("--reason is required: say why (at least 3 characters).");
  let expiresAt: Date | null;
  try {
    expiresAt = parseExpiry(values.expires);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [name, ruleId] = positionals;
  return withStore(async (db) => {
    const { scanId, fn } = await functionInScan(db, values.scan, name);
    const findings = fn.findings.filter((f) => f.ruleId === ruleId);
    if (findings.length === 0) throw new UsageError(`${fn.name} has no ${ruleId} finding in scan ${scanId} (its rules: ${[...new Set(fn.findings.map((f) => f.ruleId))].join(", ") || "none"}).`);
    const createdBy = `cli:${os.userInfo().username}`;
    for (const f of findings) await saveSuppression(db, { fingerprint: f.fingerprint, reason, expiresAt, createdBy, functionArn: fn.arn, ruleId });
    out.stdout(`${safeTerminalText(`Suppressed ${findings.length} ${ruleId} finding(s) of ${fn.arn}${expiresAt ? ` until ${expiresAt.toISOString().slice(0, 10)}` : ""} (by ${createdBy}).`)}\n`);
    return 0;
  });
}

/** The function a suppress/unsuppress command names, in the given scan (default: the latest). */
async function functionInScan(db: Database, scan: string | boolean | undefined, name: string) {
  const scanId = await resolveScanId(db, scan);
  try {
    return { scanId, fn: resolveFunction(await loadScanView(db, scanId), name) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function unsuppressCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { scan: { type: "string" } });
  if (positionals.length !== 2) throw new UsageError("Usage: saltzer unsuppress FUNCTION RULE [--scan ID]");
  const [name, ruleId] = positionals;
  return withStore(async (db) => {
    const { scanId, fn } = await functionInScan(db, values.scan, name);
    const fingerprints = new Set(fn.findings.filter((f) => f.ruleId === ruleId).map((f) => f.fingerprint));
    for (const e of await storedSuppressions(db)) if (e.fingerprint && e.functionArn === fn.arn && e.ruleId === ruleId) fingerprints.add(e.fingerprint);
    const removed = await deleteSuppressions(db, [...fingerprints]);
    out.stdout(`${safeTerminalText(removed ? `Removed ${removed} suppression(s) of ${ruleId} on ${fn.arn}.` : `No suppression of ${ruleId} on ${fn.arn}.`)}\n`);
    return 0;
  });
}

async function suppressionsCommand(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, { json: { type: "boolean" } });
  const entries = storeExists() ? await withStore((db) => storedSuppressions(db)) : [];
  out.stdout(formatSuppressions(entries, Boolean(values.json)));
  return 0;
}

async function diffCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (positionals.length !== 2) throw new UsageError("Usage: saltzer diff FROM_SCAN TO_SCAN [--json]");
  return withStore(async (db) => {
    const [from, to] = [await resolveScanId(db, positionals[0]), await resolveScanId(db, positionals[1])];
    let diff;
    try {
      diff = await diffStoredScans(db, from, to);
    } catch (error) {
      throw new UsageError(`Cannot compare scans ${from} and ${to}: ${(error as Error).message}`);
    }
    out.stdout(values.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
    return 0;
  });
}

/** Each command by name (`rules` is not here: it loads less). */
export const COMMANDS: Record<string, (args: string[], out: Out) => Promise<number>> = {
  scan: scanCommand,
  report: reportCommand,
  "first-start": firstStartCommand,
  can: canCommand,
  check: checkCommand,
  suppress: suppressCommand,
  unsuppress: unsuppressCommand,
  suppressions: suppressionsCommand,
  diff: diffCommand,
  worker: workerCommand,
};
