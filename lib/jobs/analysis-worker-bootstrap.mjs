// Worker threads do not inherit the main thread's TypeScript loader: register tsx with the
// project's tsconfig (for the `@/` alias), then load the worker itself.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register({ tsconfig: workerData.tsconfig });
await import(workerData.entry);
