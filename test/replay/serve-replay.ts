/**
 * Bench support: the replay server in a process of its own, as AWS is not on the crawler's
 * machine (the crawler's CPU is then its own). Usage over IPC (child_process.fork):
 * send `{ dir, options }`, receive `{ endpoint }`; send `"bound"`, receive `{ bound, rateLimited, cpuSeconds }`.
 */
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from "./replay-server";

let server: ReplayServer | null = null;
process.on("message", (message: unknown) => {
  void (async () => {
    if (message === "bound") {
      const cpu = process.cpuUsage();
      process.send?.({ bound: server?.rateBound() ?? null, rateLimited: server?.rateLimited ?? 0, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    } else {
      const { dir, options } = message as { dir: string; options: ReplayServerOptions };
      server = await startReplayServer(dir, options);
      process.send?.({ endpoint: server.endpoint });
    }
  })();
});
