/** Suppression writes (dashboard actions, `saltzer suppress` / `unsuppress`): the only writer of the table. */
import type { Database } from "./db";

export interface NewSuppression {
  fingerprint: string;
  reason: string;
  expiresAt: Date | null;
  /** "dashboard", "cli:<user>", … */
  createdBy: string;
  functionArn?: string | null;
  ruleId?: string | null;
}

/** Creates or replaces the suppression of one finding (by fingerprint, so it follows later scans). */
export async function saveSuppression(db: Database, s: NewSuppression): Promise<void> {
  const data = { reason: s.reason, expiresAt: s.expiresAt, createdBy: s.createdBy, functionArn: s.functionArn ?? null, ruleId: s.ruleId ?? null };
  await db.prisma.suppression.upsert({ where: { fingerprint: s.fingerprint }, create: { fingerprint: s.fingerprint, ...data }, update: { ...data, createdAt: new Date() } });
}

/** Removes suppressions by fingerprint; returns how many there were. */
export async function deleteSuppressions(db: Database, fingerprints: string[]): Promise<number> {
  const { count } = await db.prisma.suppression.deleteMany({ where: { fingerprint: { in: fingerprints } } });
  return count;
}
