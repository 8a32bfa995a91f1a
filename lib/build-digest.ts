/**
 * Digests the build writes beside the compiled code (dist/*.json) from a package's data, stamped
 * with the package's version: read instead of the package when the stamp matches (the caller
 * checks it), the package read when none was built.
 */
import fs from "node:fs";

/** The digest in `file`, null when none was built; one of another shape (`valid` says no) fails with what to do. */
export function readBuildDigest<T extends { packageVersion: string }>(file: string, packageName: string, valid: (digest: Partial<T>) => boolean): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const digest = JSON.parse(text) as Partial<T>;
  if (typeof digest.packageVersion !== "string" || !valid(digest)) {
    throw new Error(`${file} is not a digest of ${packageName}: rebuild with \`node scripts/build-dist.mjs\`.`);
  }
  return digest as T;
}
