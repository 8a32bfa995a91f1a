/**
 * The suppression register: every stored suppression with the finding it silences as a scan saw
 * it, its status (active or expired) and who made it. The dashboard's /suppressions page and its
 * CSV/JSON export read this one list, so what an auditor hands the client is what the page shows.
 * No `server-only`: it takes the database, so the CLI can read it too.
 */
import type { Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { csvCell } from "@/lib/report/csv-report";
import { storedSuppressions, type SuppressionEntry } from "./suppressions";

/** One suppression as the register lists it. */
export interface RegisterEntry {
  /** Stored suppressions match one finding by its fingerprint (stable across scans). */
  fingerprint: string;
  status: "active" | "expired";
  functionArn: string | null;
  functionName: string | null;
  accountId: string | null;
  region: string | null;
  ruleId: string | null;
  /** The finding as the scan saw it; null when that scan has no finding with this fingerprint. */
  finding: { title: string; severity: Severity; category: string } | null;
  reason: string;
  /** "dashboard", "cli:<user>", "file:<name>". */
  createdBy: string;
  /** The kind of maker, for people: "Dashboard", "CLI (alice)", "File suppressions.yaml". */
  madeBy: string;
  createdAt: string | null;
  expiresAt: string | null;
}

export interface SuppressionRegister {
  /** The scan whose findings the entries were matched against; null when there is none. */
  scanId: number | null;
  entries: RegisterEntry[];
  activeCount: number;
  expiredCount: number;
}

/** "cli:alice" → "CLI (alice)": the maker as a reader names it. */
export function describeMaker(createdBy: string): string {
  if (createdBy === "dashboard") return "Dashboard";
  if (createdBy.startsWith("dashboard:")) return `Dashboard (${createdBy.slice("dashboard:".length)})`;
  if (createdBy.startsWith("cli:")) return `CLI (${createdBy.slice(4)})`;
  if (createdBy === "cli") return "CLI";
  if (createdBy.startsWith("file:")) return `File ${createdBy.slice(5)}`;
  return createdBy;
}

function statusOf(e: SuppressionEntry, now: Date): RegisterEntry["status"] {
  return e.expiresAt !== null && new Date(e.expiresAt).getTime() <= now.getTime() ? "expired" : "active";
}

/** Every stored suppression, newest first, with its finding in `scanId` (the latest complete scan on pages). */
export async function suppressionRegister(db: Database, scanId: number | null, now = new Date()): Promise<SuppressionRegister> {
  const stored = (await storedSuppressions(db)).filter((e): e is SuppressionEntry & { fingerprint: string } => e.fingerprint !== null);
  const fingerprints = stored.map((e) => e.fingerprint);
  const seen =
    scanId !== null && fingerprints.length > 0
      ? await db.query<{ fingerprint: string; function_arn: string; rule_id: string; title: string; severity: string; category: string; name: string; account_id: string; region: string }>(
          `SELECT f.fingerprint, f.function_arn, f.rule_id, f.title, f.severity, f.category, fn.name, fn.account_id, fn.region
             FROM finding_verdicts v JOIN findings f ON f.id = v.id JOIN function_verdicts fn ON fn.scan_id = v.scan_id AND fn.arn = v.function_arn
            WHERE v.scan_id = $1 AND v.fingerprint = ANY($2::text[])`,
          [scanId, fingerprints],
        )
      : [];
  const byFingerprint = new Map(seen.map((r) => [r.fingerprint, r]));
  const entries = stored
    .map((e): RegisterEntry => {
      const row = byFingerprint.get(e.fingerprint);
      const functionArn = row?.function_arn ?? e.functionArn;
      // An ARN's last field is the function name (arn:aws:lambda:region:account:function:name).
      const arnParts = functionArn?.split(":") ?? [];
      return {
        fingerprint: e.fingerprint,
        status: statusOf(e, now),
        functionArn,
        functionName: row?.name ?? (arnParts.length >= 7 ? arnParts[6] : null),
        accountId: row?.account_id ?? (arnParts.length >= 7 ? arnParts[4] : null),
        region: row?.region ?? (arnParts.length >= 7 ? arnParts[3] : null),
        ruleId: row?.rule_id ?? e.ruleId,
        finding: row ? { title: row.title, severity: row.severity as Severity, category: row.category } : null,
        reason: e.reason,
        createdBy: e.createdBy,
        madeBy: describeMaker(e.createdBy),
        createdAt: e.createdAt,
        expiresAt: e.expiresAt,
      };
    })
    .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? "") || a.fingerprint.localeCompare(b.fingerprint));
  return {
    scanId,
    entries,
    activeCount: entries.filter((e) => e.status === "active").length,
    expiredCount: entries.filter((e) => e.status === "expired").length,
  };
}

export const REGISTER_CSV_COLUMNS = [
  "status",
  "function_name",
  "function_arn",
  "account_id",
  "region",
  "rule_id",
  "finding_title",
  "finding_severity",
  "reason",
  "created_by",
  "created_at",
  "expires_at",
  "in_scan",
  "fingerprint",
] as const;

/** The register as CSV (RFC 4180, formula-guarded cells like every other CSV export). */
export function registerToCsv(register: SuppressionRegister): string {
  const rows: string[][] = [[...REGISTER_CSV_COLUMNS]];
  for (const e of register.entries) {
    rows.push([
      e.status,
      e.functionName ?? "",
      e.functionArn ?? "",
      e.accountId ?? "",
      e.region ?? "",
      e.ruleId ?? "",
      e.finding?.title ?? "",
      e.finding?.severity ?? "",
      e.reason,
      e.createdBy,
      e.createdAt ?? "",
      e.expiresAt ?? "",
      e.finding ? "yes" : register.scanId === null ? "" : "no",
      e.fingerprint,
    ]);
  }
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** The register as JSON: what the page lists, with the scan it was matched against. */
export function registerToJson(register: SuppressionRegister, generatedAt = new Date()): string {
  return `${JSON.stringify({ generatedAt: generatedAt.toISOString(), scanId: register.scanId, activeCount: register.activeCount, expiredCount: register.expiredCount, suppressions: register.entries }, null, 2)}\n`;
}

/** The function and rule a fingerprint belongs to (its latest finding), recorded with a new suppression. */
export async function findingSubject(db: Database, fingerprint: string): Promise<{ functionArn: string; ruleId: string } | null> {
  const rows = await db.query<{ function_arn: string; rule_id: string }>(`SELECT function_arn, rule_id FROM findings WHERE fingerprint = $1 ORDER BY scan_id DESC LIMIT 1`, [fingerprint]);
  return rows[0] ? { functionArn: rows[0].function_arn, ruleId: rows[0].rule_id } : null;
}
