/**
 * Server-sent events: the running scan's progress, read from the scan row every half second,
 * so a scan started by the dashboard or by the CLI (same PostgreSQL) shows the same way.
 */
import type { NextRequest } from "next/server";
import { scanProgress } from "@/lib/queries/scan-progress";
import { getDb } from "@/lib/server/db";
import { authorizeRequest } from "@/lib/server/authorize-request";

export const dynamic = "force-dynamic";

const POLL_MS = 500;
const MAX_STREAM_MS = 30 * 60_000;

export async function GET(request: NextRequest): Promise<Response> {
  const denied = authorizeRequest(request);
  if (denied) return denied;
  const db = await getDb();
  const encoder = new TextEncoder();
  const watch = Number(new URL(request.url).searchParams.get("scan") ?? NaN);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      const tick = async () => {
        try {
          const payload = await scanProgress(db, Number.isInteger(watch) ? watch : null);
          const text = JSON.stringify(payload);
          if (text !== last) {
            controller.enqueue(encoder.encode(`data: ${text}\n\n`));
            last = text;
          } else controller.enqueue(encoder.encode(`: keep-alive\n\n`));
          const finished = payload.scanId !== null && payload.status !== "running" && Number.isInteger(watch);
          if (finished || Date.now() - started > MAX_STREAM_MS) {
            controller.close();
            return;
          }
          timer = setTimeout(tick, POLL_MS);
        } catch (error) {
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`));
          controller.close();
        }
      };
      void tick();
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive" } });
}
