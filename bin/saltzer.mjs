#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolving the `@/` alias from the package's tsconfig.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(path.join(root, "cli", "run.ts"));
