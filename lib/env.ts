/**
 * The one place that reads process.env, validated at start-up with a clear message per bad value.
 */
import path from "node:path";
import { z } from "zod";
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
  SALTZER_AUTH_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** What a dashboard rescan reads: the snapshot directory, or live AWS with SALTZER_AWS_FLAGS. */
  SALTZER_SCAN_SOURCE: z.enum(["snapshot", "aws"]).default("snapshot"),
  /** `saltzer scan --aws` flags for dashboard rescans, e.g. "--org --regions us-east-1,eu-west-1". */
  SALTZER_AWS_FLAGS: z.string().default(""),
  SALTZER_RESCAN_INTERVAL: z.coerce
    .number()
    .int()
    .min(60, "must be at least 60 (seconds)")
    .optional(),
});

/** Validated configuration. */
export type Env = z.infer<typeof schema> & { dataDir: string; snapshotDir: string };

let cached: Env | null = null;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return {
    ...parsed.data,
    dataDir: path.resolve(parsed.data.SALTZER_DATA_DIR),
    snapshotDir: parsed.data.SALTZER_SNAPSHOT_DIR ? path.resolve(parsed.data.SALTZER_SNAPSHOT_DIR) : path.join(packageRoot(), "samples", "acme"),
  };
}

export function env(): Env {
  cached ??= readEnv();
  return cached;
}
