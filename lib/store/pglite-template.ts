/**
 * A new embedded database starts as a copy of a prepared one. Creating a PGlite cluster (initdb)
 * and applying every migration costs seconds of CPU; copying a closed, already-migrated data
 * directory costs milliseconds. The template is built once per user, per PGlite version and
 * set of migrations, in the user's own cache folder (never a shared temp folder: a database
 * planted by another user could carry functions or triggers).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listMigrations } from "./migrate";

/** Where templates live, and the key that says which one fits this build. */
export interface TemplateSpec {
  cacheDir: string;
  key: string;
}

/**
 * PostgreSQL's template databases (template0, template1: 600 of a new cluster's 1,100 files, 14 MB)
 * serve CREATE DATABASE, which the embedded database never runs: the template goes without them,
 * so every new database copies half the files. Statements one by one: DROP DATABASE refuses to
 * run inside a transaction.
 */
export const DROP_TEMPLATE_DATABASES = [
  "ALTER DATABASE template0 IS_TEMPLATE false",
  "DROP DATABASE template0",
  "ALTER DATABASE template1 IS_TEMPLATE false",
  "DROP DATABASE template1",
  "CHECKPOINT",
];

/** Keyed by the migrations and by what else shapes the template; a template an older PGlite wrote fails to open and is rebuilt (lib/store/db.ts). */
export function defaultTemplateSpec(): TemplateSpec {
  const migrations = listMigrations().map((m) => `${m.name}:${m.checksum}`);
  const key = crypto.createHash("sha256").update([...migrations, ...DROP_TEMPLATE_DATABASES].join("\n")).digest("hex").slice(0, 16);
  return { cacheDir: path.join(os.homedir(), ".cache", "saltzer"), key };
}

/** Templates of other migration sets (older versions, other checkouts) unused for this long are deleted. */
const UNUSED_TEMPLATE_MS = 7 * 24 * 3600_000;

function pruneUnusedTemplates(spec: TemplateSpec): void {
  const current = path.basename(templatePath(spec));
  for (const name of fs.readdirSync(spec.cacheDir)) {
    if (!name.startsWith("pgdata-") || name === current) continue;
    const dir = path.join(spec.cacheDir, name);
    if (Date.now() - fs.statSync(dir).mtimeMs > UNUSED_TEMPLATE_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function templatePath(spec: TemplateSpec): string {
  return path.join(spec.cacheDir, `pgdata-${spec.key}`);
}

/**
 * Fills the empty `pgdata` directory from the template, building the template first when it is
 * missing (`create` initialises and migrates a database in the directory it is given, then
 * closes it). Returns false when no template could be used; the caller then creates the
 * database in place as before, so a read-only home folder only costs time.
 */
export async function copyFromTemplate(pgdata: string, spec: TemplateSpec, create: (dir: string) => Promise<void>): Promise<boolean> {
  const template = templatePath(spec);
  try {
    if (!fs.existsSync(path.join(template, "PG_VERSION"))) {
      fs.mkdirSync(spec.cacheDir, { recursive: true, mode: 0o700 });
      // Built aside and renamed into place: a concurrent process sees a whole template or none.
      const building = fs.mkdtempSync(path.join(spec.cacheDir, `building-${spec.key}-`));
      try {
        await create(building);
        fs.renameSync(building, template);
      } catch (error) {
        fs.rmSync(building, { recursive: true, force: true });
        // Another process finished the same template first: use theirs.
        if (!fs.existsSync(path.join(template, "PG_VERSION"))) throw error;
      }
    }
    copyDataDir(template, pgdata);
    const now = new Date();
    fs.utimesSync(template, now, now);
  } catch (error) {
    // A cache is an optimisation: any failure to build or copy it falls back to initdb in place.
    fs.rmSync(pgdata, { recursive: true, force: true });
    process.emitWarning(`Saltzer: database template unusable (${(error as Error).message}); creating the database in place.`);
    return false;
  }
  try {
    pruneUnusedTemplates(spec);
  } catch (error) {
    // Housekeeping only: the database was copied; an old template stays until the next try.
    process.emitWarning(`Saltzer: could not delete unused database templates in ${spec.cacheDir} (${(error as Error).message}).`);
  }
  return true;
}

/**
 * Copies a closed data directory, which holds only directories and files, without fs.cpSync's
 * checks of every entry (a stat of each parent, symlink handling): they cost more than the copies.
 * Each file is cloned where the file system can (APFS, Btrfs, XFS: the data is shared until either
 * copy is written) and copied otherwise (ext4, here).
 */
function copyDataDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true, mode: fs.statSync(from).mode & 0o777 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyDataDir(source, target);
    else if (entry.isFile()) fs.copyFileSync(source, target, fs.constants.COPYFILE_FICLONE);
    else throw new Error(`${source} is neither a file nor a directory`);
  }
}
