/**
 * The one place that reads process.env, validated at start-up with a clear message per bad value.
 */
import path from "node:path";
import { z } from "zod";
import { allowedHostNames, parseHostList } from "@/lib/host-guard";
import { packageRoot } from "@/lib/package-root";

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SALTZER_DATA_DIR: z.string().min(1).default(".saltzer"),
  /** Unset: the sample organization shipped with the package (samples/acme). */
  SALTZER_SNAPSHOT_DIR: z.string().min(1).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SALTZER_AUTH_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Host names the dashboard answers to besides loopback and HOST, comma-separated (DNS-rebinding guard). */
  SALTZER_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const parsed = parseHostList(value);
      if ("error" in parsed) {
        ctx.addIssue({ code: "custom", message: parsed.error });
        return z.NEVER;
      }
      return parsed.names;
    }),
  /** What a dashboard rescan reads: the snapshot directory, or live AWS with SALTZER_AWS_FLAGS. */
  SALTZER_SCAN_SOURCE: z.enum(["snapshot", "aws"]).default("snapshot"),
  /** `saltzer scan --aws` flags for dashboard rescans, e.g. "--org --regions us-east-1,eu-west-1". */
  SALTZER_AWS_FLAGS: z.string().default(""),
  SALTZER_RESCAN_INTERVAL: z.coerce
    .number()
    .int()
    .min(60, "must be at least 60 (seconds)")
    .optional(),
  /** The dashboard's page cache for the embedded database, MiB; unset: sized by the store (lib/store/page-cache-size.ts). */
  SALTZER_DB_CACHE_MB: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number({ error: "must be a number of MiB" }).int({ error: "must be a whole number of MiB" }).min(16, "must be at least 16 (MiB)").max(4096, "must be at most 4096 (MiB)").optional(),
  ),
  /** Set (and not "0"): a scan prints when each of its steps begins (lib/scan-trace.ts). */
  SALTZER_TRACE: z
    .string()
    .optional()
    .transform((v) => Boolean(v) && v !== "0"),
  /** Where the trace's clock starts (epoch ms): set by bin/saltzer.mjs for the process it starts. */
  SALTZER_TRACE_ORIGIN: z.coerce.number().positive().optional(),
});

/** Validated configuration. */
export type Env = z.infer<typeof schema> & {
  dataDir: string;
  /** Where reads of scanned snapshot directories are kept for rescans (lib/snapshot/account-read-cache.ts). */
  readCacheDir: string;
  snapshotDir: string;
  /** Every host name the dashboard answers to: loopback names, HOST, SALTZER_ALLOWED_HOSTS. */
  allowedHosts: string[];
};

/** A bad environment value: its message is one line, fit to print without a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: Env | null = null;

/** The values `of` reads from `source`, or a ConfigError naming each bad one. */
function parseConfig<S extends z.ZodType>(of: S, source: NodeJS.ProcessEnv): z.output<S> {
  const parsed = of.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const values = parseConfig(schema, source);
  return {
    ...values,
    dataDir: path.resolve(values.SALTZER_DATA_DIR),
    readCacheDir: path.join(path.resolve(values.SALTZER_DATA_DIR), "read-cache"),
    snapshotDir: values.SALTZER_SNAPSHOT_DIR ? path.resolve(values.SALTZER_SNAPSHOT_DIR) : path.join(packageRoot(), "samples", "acme"),
    allowedHosts: allowedHostNames(values.HOST, values.SALTZER_ALLOWED_HOSTS),
  };
}

export function env(): Env {
  cached ??= readEnv();
  return cached;
}

const traceSchema = schema.pick({ SALTZER_TRACE: true, SALTZER_TRACE_ORIGIN: true });
let cachedTrace: z.infer<typeof traceSchema> | null = null;

/**
 * SALTZER_TRACE and its clock's origin alone (lib/scan-trace.ts): the analysis worker traces its
 * steps without the rest of the configuration, which the command that started it has validated.
 */
export function traceSettings(): z.infer<typeof traceSchema> {
  cachedTrace ??= parseConfig(traceSchema, process.env);
  return cachedTrace;
}
