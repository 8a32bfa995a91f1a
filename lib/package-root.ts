/**
 * The folder Saltzer is installed in, holding prisma/migrations and samples/: found upwards from
 * this module (lib/ in the sources, dist/ in the build, node_modules/saltzer/dist when installed).
 * Under Next.js `import.meta.dirname` is undefined and the server runs in the package's folder.
 */
import fs from "node:fs";
import path from "node:path";

export function packageRoot(): string {
  let dir = import.meta.dirname as string | undefined;
  while (dir) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    dir = parent === dir ? undefined : parent;
  }
  return process.cwd();
}
