// Compiles the CLI and the analysis worker to plain JavaScript in dist/, so nothing compiles
// TypeScript at run time: `node scripts/build-dist.mjs` (always), or ensureDist() (only when a
// source file is newer than the build; used by bin/saltzer.mjs, `npm start`, `npm test`, prepack).
// Two entry points, bundled with everything they import from cli/ and lib/ (the `@/` alias comes
// from tsconfig.json); npm packages stay in node_modules but for a few plain-JavaScript ones.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { writeIamActionDigest } from "./lib/iam-action-digest.mjs";
import { writeManagedPolicyDigest } from "./lib/managed-policy-digest.mjs";

const root = path.resolve(import.meta.dirname, "..");
const distDir = path.join(root, "dist");
const manifestFile = path.join(distDir, "build-inputs.json");
const ENTRY_POINTS = { cli: "cli/run.ts", "analysis-worker": "lib/jobs/analysis-worker.ts" };
/** What the build depends on besides the sources esbuild reports. */
const CONFIG_FILES = ["package.json", "package-lock.json", "tsconfig.json", "scripts/build-dist.mjs", "scripts/lib/managed-policy-digest.mjs", "scripts/lib/iam-action-digest.mjs"];

// Loaded only when `scan --aws` first uses them: evaluating the AWS SDK's clients costs more CPU than
// everything else the CLI loads together (profiled: `saltzer --help` 1.4 s CPU with them eager,
// 0.5 s without, on a loaded 2-core machine), and most commands never call AWS.
const LAZY_PACKAGES = /^@aws-sdk\/(client-[a-z0-9-]+|credential-providers)$/;

// Inlined into the bundle: plain JavaScript with no files of their own to read at run time.
const BUNDLED_PACKAGES = ["zod", "@cloud-copilot/iam-expand", "@cloud-copilot/iam-simulate", "@cloud-copilot/iam-policy", "@cloud-copilot/iam-utils", "@prisma/client"];
// …except the Prisma query compiler (WebAssembly), imported on first query.
const EXTERNAL_FILES = ["@prisma/client/runtime/query_compiler*"];

/** True when dist/ was built after every file it was built from was last changed. */
export function distIsFresh() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return false;
    throw error;
  }
  const files = [...manifest.inputs, ...manifest.outputs.map((f) => path.join("dist", f))];
  for (const file of files) {
    let stat;
    try {
      stat = fs.statSync(path.join(root, file));
    } catch (error) {
      if (error.code === "ENOENT") return false;
      throw error;
    }
    if (manifest.inputs.includes(file) && stat.mtimeMs > manifest.builtAt) return false;
  }
  return true;
}

/**
 * Builds dist/ unless it is fresh (or always, with force). Concurrent callers (parallel tests
 * spawning the CLI) build once: the others wait for the lock, then find the build fresh.
 */
export async function ensureDist({ force = false, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const fresh = () => !force && distIsFresh();
  if (fresh()) return false;
  fs.mkdirSync(distDir, { recursive: true });
  const lock = path.join(distDir, ".build.lock");
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (lockHolderGone(lock)) fs.rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
      if (fresh()) return false;
    }
  }
  try {
    if (fresh()) return false;
    log("Building the CLI (dist/)…");
    await buildDist();
    return true;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function lockHolderGone(lock) {
  const pid = Number(fs.readFileSync(lock, "utf8"));
  if (!Number.isInteger(pid) || pid <= 0) return false; // being written this instant
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === "ESRCH";
  }
}

async function buildDist() {
  const builtAt = Date.now();
  // The sources import the generated Prisma client; a fresh clone has not generated it yet.
  // Its messages go to stderr: the command that triggered the build may be writing a report to stdout.
  if (!fs.existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
    execFileSync(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate"], { cwd: root, stdio: ["ignore", 2, 2] });
  }
  const esbuild = await import("esbuild").catch((error) => {
    if (error.code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error("Building dist/ needs this checkout's devDependencies (esbuild): run `npm ci`.");
  });
  // Written next to dist/ and moved in file by file: a CLI starting meanwhile never reads half a file.
  const staging = fs.mkdtempSync(path.join(root, ".dist-"));
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ENTRY_POINTS,
      outdir: staging,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      tsconfig: path.join(root, "tsconfig.json"),
      external: externalPackages(),
      sourcemap: "linked",
      metafile: true,
      logLevel: "warning",
      plugins: [serverOnlyOutsideNext(), lazyPackages(LAZY_PACKAGES)],
      // Inlined CommonJS (Prisma's runtime) calls require() for Node's built-in modules: give it Node's.
      banner: { js: 'import { createRequire as __saltzerCreateRequire } from "node:module"; const require = __saltzerCreateRequire(import.meta.url);' },
    });
    // The AWS-managed policies' latest versions, so a scan need not parse the package's 75 MB; the
    // IAM actions' names, access levels and resource types, so the analysis need not parse iam-data's 11 MB.
    const outputs = [
      ...Object.keys(result.metafile.outputs).map((f) => path.relative(staging, path.resolve(root, f))),
      writeManagedPolicyDigest(root, staging),
      writeIamActionDigest(root, staging),
    ];
    outputs.push(writeAnalysisCodeVersion(staging, outputs));
    const inputs = [...new Set([...Object.keys(result.metafile.inputs).filter((f) => !f.includes(":") && !f.startsWith("node_modules/")), ...CONFIG_FILES])].sort();
    fs.mkdirSync(distDir, { recursive: true });
    for (const file of outputs) fs.renameSync(path.join(staging, file), path.join(distDir, file));
    for (const old of fs.readdirSync(distDir)) if (!outputs.includes(old) && old !== ".build.lock") fs.rmSync(path.join(distDir, old), { force: true });
    fs.writeFileSync(manifestFile, `${JSON.stringify({ builtAt, inputs, outputs }, null, 1)}\n`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The compiled analysis code's name (lib/jobs/analysis-code-version.ts reads it): a hash of the
 * built modules and data files and of package.json, computed once here rather than by every scan
 * (reading and hashing ~8 MB took ~80 ms on each scan's critical path). Source maps and the build
 * manifest (its time stamp) are left out: the same code built twice has the same name.
 */
function writeAnalysisCodeVersion(staging, outputs) {
  const name = "analysis-code-version.json";
  const files = outputs.filter((f) => f.endsWith(".mjs") || f.endsWith(".json")).sort().map((f) => path.join(staging, f));
  const hash = crypto.createHash("sha256");
  for (const file of [...files, path.join(root, "package.json")]) hash.update(path.basename(file)).update("\0").update(fs.readFileSync(file)).update("\0");
  fs.writeFileSync(path.join(staging, name), `${JSON.stringify({ version: `dist-${hash.digest("hex").slice(0, 24)}` })}\n`);
  return name;
}

/** Every dependency but the pure-JavaScript ones worth inlining (fewer files to resolve and load at start). */
function externalPackages() {
  const { dependencies, devDependencies } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const names = Object.keys({ ...dependencies, ...devDependencies }).filter((name) => !BUNDLED_PACKAGES.includes(name));
  return [...names.flatMap((name) => [name, `${name}/*`]), ...EXTERNAL_FILES];
}

/** `server-only` throws outside a React Server Component build; in the CLI every module is server-side. */
function serverOnlyOutsideNext() {
  return {
    name: "server-only",
    setup(build) {
      build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
      build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
    },
  };
}

/**
 * Imports of the matching packages become stand-ins that require() the package on first use: each
 * named export is a Proxy that forwards calls, `new`, property reads and `instanceof` to the real
 * export. A package exporting anything but functions and objects is left as a plain import.
 */
function lazyPackages(filter) {
  const requireFromRoot = createRequire(path.join(root, "package.json"));
  return {
    name: "lazy-packages",
    setup(build) {
      build.onResolve({ filter }, (args) => {
        if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const exports = requireFromRoot(args.path);
        const names = Object.keys(exports).filter((n) => n !== "default" && n !== "__esModule");
        if (!names.every((n) => ["function", "object"].includes(typeof exports[n]) && exports[n] !== null)) return undefined;
        return { path: args.path, namespace: "lazy-package", pluginData: names };
      });
      build.onResolve({ filter: /^lazy-package-runtime$/ }, () => ({ path: "lazy-package-runtime", namespace: "lazy-package-runtime" }));
      build.onLoad({ filter: /.*/, namespace: "lazy-package-runtime" }, () => ({ contents: LAZY_RUNTIME, loader: "js" }));
      build.onLoad({ filter: /.*/, namespace: "lazy-package" }, (args) => ({
        loader: "js",
        resolveDir: root,
        contents: [
          'import { lazyModule, lazyExport } from "lazy-package-runtime";',
          `const load = /* @__PURE__ */ lazyModule(${JSON.stringify(args.path)});`,
          // Pure: esbuild drops the stand-ins nobody imports (client-ec2 alone exports ~5,000 names).
          ...args.pluginData.map((name) => `export const ${name} = /* @__PURE__ */ lazyExport(load, ${JSON.stringify(name)});`),
        ].join("\n"),
      }));
    },
  };
}

const LAZY_RUNTIME = `
import { createRequire } from "node:module";
const requireHere = createRequire(import.meta.url);
export function lazyModule(id) {
  let mod;
  return () => (mod ??= requireHere(id));
}
export function lazyExport(load, name) {
  const real = () => load()[name];
  return new Proxy(function lazyExport() {}, {
    apply: (_target, self, args) => Reflect.apply(real(), self, args),
    construct: (_target, args, newTarget) => Reflect.construct(real(), args, newTarget),
    get: (_target, key) => Reflect.get(real(), key),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureDist({ force: !process.argv.includes("--if-stale") });
}
