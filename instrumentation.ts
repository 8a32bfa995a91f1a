/** Runs once when the dashboard server starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareServer } = await import("@/lib/server/start-checks");
  const config = prepareServer();
  if (!config.SALTZER_RESCAN_INTERVAL) return;
  const { getDbUnchecked } = await import("@/lib/server/db-unchecked");
  const { startInterval } = await import("@/lib/jobs/scan-runner");
  startInterval(await getDbUnchecked(), config, config.SALTZER_RESCAN_INTERVAL);
}
