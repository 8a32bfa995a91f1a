/**
 * Reading an account of a snapshot directory once: what the reader made of it is kept with every
 * observation it was made from (each directory listing, each existence check, a SHA-256 of each
 * file's bytes), and a later read of the same directory replays those observations instead of
 * parsing and validating the account again. The replay reads every file again: content decides,
 * never a time stamp or a size, so an edited file (or one swapped for a link, a directory, a file
 * that no longer parses) is read afresh, with the errors a first read gives.
 *
 * An entry is valid for the reader code that wrote it (`codeVersion`), the coverage gaps the
 * snapshot recorded (they decide which missing files are gaps) and the time zone (dates without
 * one are read in it). Names in environment variables are resolved against the account's resources
 * in the whole snapshot: the entry keeps the digest of that part of the inventory, and a different
 * one reads the account afresh. Values of environment variables are never in an entry: only the
 * names, the secret signals and the resolved ARNs the stored scan keeps too.
 *
 * One directory per snapshot location, one file per account, written whole (a temporary file
 * renamed over the old one) with the data directory's permissions; entries of accounts no longer
 * in the snapshot are removed. A missing, unreadable or malformed entry is a miss, never an error.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { Account, CoverageGap } from "@/lib/snapshot/types";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { sha256Hex, type SnapshotFiles, type SnapshotSource } from "@/lib/snapshot/snapshot-source";

/** Where entries are kept and which reader code they are valid for. */
export interface AccountReadCacheOptions {
  dir: string;
  codeVersion: string;
  /**
   * Write new entries once the read has returned (on the next turn of the event loop), so that the
   * caller hands the snapshot on first: the analysis worker posts it to the scan, which stores it meanwhile.
   */
  saveAfterReturn?: boolean;
}

/** One thing the reader saw: [kind, relative path, what it saw]. Files are SHA-256 digests (null: missing). */
export type Observation = ["exists", string, boolean] | ["dirs", string, string[]] | ["json-names", string, string[]] | ["file", string, string | null];

/** What reading one account gave, and what it was made from. */
export interface AccountRead {
  account: Account;
  /** Gaps the read recorded (beyond the snapshot's own gap file). */
  gaps: CoverageGap[];
  /** Where each event source mapping was read (in the account's order), for errors across accounts. */
  mappingOrigins: { file: string; path: string }[];
  observations: Observation[];
  /** inventoryDigests' value for the account when its references were resolved. */
  inventory: string;
}

interface Entry extends AccountRead {
  format: typeof FORMAT;
  key: string;
}

const FORMAT = 1;
const STALE_TEMPORARY_MS = 10 * 60_000;

/** The source an account is read through, recording what it observes. */
export class RecordingSource implements SnapshotSource {
  readonly observations: Observation[] = [];

  constructor(private readonly files: SnapshotFiles) {}

  get filesRead(): number {
    return this.files.filesRead;
  }

  async exists(rel: string): Promise<boolean> {
    const seen = await this.files.exists(rel);
    this.observations.push(["exists", rel, seen]);
    return seen;
  }

  async listDirs(rel: string): Promise<string[]> {
    const names = await this.files.listDirs(rel);
    this.observations.push(["dirs", rel, [...names]]);
    return names;
  }

  async listJsonNames(rel: string): Promise<string[]> {
    const names = await this.files.listJsonNames(rel);
    this.observations.push(["json-names", rel, [...names]]);
    return names;
  }

  async required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>> {
    const value = await this.optional(rel, schema);
    if (value === null) throw new SnapshotError(rel, "", "required file is missing");
    return value;
  }

  async optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null> {
    const bytes = await this.files.readBytes(rel);
    this.observations.push(["file", rel, bytes === null ? null : sha256Hex(bytes)]);
    return bytes === null ? null : this.files.parse(rel, bytes, schema);
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether the directory still shows everything the entry was read from, checked in order up to the
 * first difference (accounts are checked side by side); any error is a "no" (a fresh read reports it).
 */
async function stillHolds(files: SnapshotFiles, observations: readonly Observation[]): Promise<boolean> {
  try {
    for (const [kind, rel, seen] of observations) {
      const holds =
        kind === "exists"
          ? (await files.exists(rel)) === seen
          : kind === "dirs"
            ? sameList(await files.listDirs(rel), seen)
            : kind === "json-names"
              ? sameList(await files.listJsonNames(rel), seen)
              : (await files.digest(rel)) === seen;
      if (!holds) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The entries of one snapshot location. */
export class AccountReadCache {
  private readonly dir: string;
  private readonly key: string;

  constructor(options: AccountReadCacheOptions, location: string, recordedGaps: readonly CoverageGap[]) {
    this.dir = path.join(options.dir, sha256Hex(location).slice(0, 32));
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.key = sha256Hex(JSON.stringify([FORMAT, options.codeVersion, zone, recordedGaps]));
  }

  private file(accountId: string): string {
    return path.join(this.dir, `${accountId}.json`);
  }

  /** The account's stored read when every observation behind it still holds; null otherwise. */
  async load(files: SnapshotFiles, accountId: string): Promise<AccountRead | null> {
    let entry: Entry;
    try {
      entry = JSON.parse(await fs.promises.readFile(this.file(accountId), "utf8")) as Entry;
    } catch {
      return null;
    }
    if (entry?.format !== FORMAT || entry.key !== this.key || entry.account?.accountId !== accountId || !Array.isArray(entry.observations)) return null;
    if (!(await stillHolds(files, entry.observations))) return null;
    return { account: entry.account, gaps: entry.gaps, mappingOrigins: entry.mappingOrigins, observations: entry.observations, inventory: entry.inventory };
  }

  /**
   * Stores these reads and removes the entries of accounts not among `accountIds`. A cache that
   * cannot be written only costs the next read its speed: the snapshot read does not fail for it.
   */
  save(reads: readonly AccountRead[], accountIds: readonly string[]): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      for (const read of reads) {
        const entry: Entry = { format: FORMAT, key: this.key, ...read };
        const target = this.file(read.account.accountId);
        const temporary = `${target}.${process.pid}.${crypto.randomUUID()}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
        fs.renameSync(temporary, target);
      }
      const kept = new Set(accountIds.map((id) => `${id}.json`));
      for (const name of fs.readdirSync(this.dir)) {
        const file = path.join(this.dir, name);
        // A temporary file is another save's until it is renamed; one left by a stopped process goes after a while.
        const stale = name.endsWith(".tmp") ? Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_TEMPORARY_MS : !kept.has(name);
        if (stale) fs.rmSync(file, { force: true });
      }
    } catch (error) {
      process.emitWarning(`Could not keep the snapshot read cache in ${this.dir}: ${(error as Error).message}`);
    }
  }
}
