/**
 * A suppressions file an auditor keeps beside the snapshot (`--suppressions FILE` on scan, report
 * and check), in the spirit of Prowler's mutelist: JSON, or YAML of this shape (a small subset of
 * YAML: a list of flat mappings with scalar values, `#` comments):
 *
 *   suppressions:
 *     - function: public-status-page      # name or ARN
 *       rule: public-invoke
 *       reason: "Public by design: status page"
 *       expires: 2027-01-31                # optional, YYYY-MM-DD (through the end of that day, UTC)
 *     - fingerprint: 0123456789abcdef0123456789abcdef
 *       reason: accepted
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { SuppressionEntry } from "@/lib/queries/suppressions";

const entrySchema = z
  .object({
    function: z.string().min(1).optional(),
    rule: z.string().min(1).optional(),
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, "a fingerprint is 32 hex characters").optional(),
    reason: z.string().trim().min(3, "say why (at least 3 characters)"),
    expires: z
      .union([z.string(), z.date()])
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        const text = v instanceof Date ? v.toISOString().slice(0, 10) : v;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
          ctx.addIssue({ code: "custom", message: `expires must be YYYY-MM-DD (got "${text}")` });
          return z.NEVER;
        }
        return `${text}T23:59:59.000Z`;
      }),
  })
  .strict()
  .refine((e) => e.fingerprint !== undefined || (e.function !== undefined && e.rule !== undefined), "each entry needs function and rule, or fingerprint");

const fileSchema = z.union([z.array(entrySchema), z.object({ suppressions: z.array(entrySchema) }).strict()]);

/** Parses the YAML subset described above into plain values. */
export function parseYamlSubset(text: string): unknown {
  const items: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  let wrapped = false;
  const scalar = (raw: string): string => {
    const v = raw.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
    return v;
  };
  const stripComment = (line: string): string => {
    let quote: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
    }
    return line;
  };
  text.split(/\r?\n/).forEach((rawLine, n) => {
    const line = stripComment(rawLine).replace(/\s+$/, "");
    if (!line.trim()) return;
    if (/^suppressions:\s*$/.test(line)) {
      wrapped = true;
      return;
    }
    const item = /^\s*-\s+(.*)$/.exec(line);
    const body = item ? item[1] : line.trim();
    if (item) {
      current = {};
      items.push(current);
    }
    const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(body);
    if (!kv || !current) throw new Error(`line ${n + 1}: expected "- key: value" or "key: value", got "${rawLine.trim()}"`);
    current[kv[1]] = scalar(kv[2]);
  });
  return wrapped ? { suppressions: items } : items;
}

/** The entries of a suppressions file, validated; errors name the file and the entry. */
export function readSuppressionsFile(file: string): SuppressionEntry[] {
  const text = fs.readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) || text.trimStart().startsWith("{") || text.trimStart().startsWith("[") ? JSON.parse(text) : parseYamlSubset(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "file"}: ${i.message}`).join("; ")}`);
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.suppressions;
  const createdBy = `file:${path.basename(file)}`;
  const createdAt = fs.statSync(file).mtime.toISOString();
  return entries.map((e) => ({
    fingerprint: e.fingerprint ?? null,
    functionArn: e.function?.startsWith("arn:") ? e.function : null,
    functionName: e.function && !e.function.startsWith("arn:") ? e.function : null,
    ruleId: e.rule ?? null,
    reason: e.reason,
    expiresAt: e.expires,
    createdBy,
    createdAt,
    source: "file" as const,
  }));
}
