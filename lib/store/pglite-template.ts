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

/** Keyed by the migrations; a template an older PGlite wrote fails to open and is rebuilt (lib/store/db.ts). */
export function defaultTemplateSpec(): TemplateSpec {
  const migrations = listMigrations().map((m) => `${m.name}:${m.checksum}`);
  const key = crypto.createHash("sha256").update(migrations.join("\n")).digest("hex").slice(0, 16);
  return { cacheDir: path.join(os.homedir(), ".cache", "saltzer"), key };
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
    fs.cpSync(template, pgdata, { recursive: true });
    return true;
  } catch (error) {
    // A cache is an optimisation: any failure to build or copy it falls back to initdb in place.
    fs.rmSync(pgdata, { recursive: true, force: true });
    process.emitWarning(`Saltzer: database template unusable (${(error as Error).message}); creating the database in place.`);
    return false;
  }
}
