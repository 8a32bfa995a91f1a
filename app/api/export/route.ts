/**
 * "Export this view": the risk view's own filter (lib/queries/view-filter.ts), rendered by the
 * CLI's code and streamed: the head and summary go out at once, then the functions page by page,
 * so a whole organization's export starts in a moment and the server holds one page at a time.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { openJsonReport } from "@/lib/queries/json-report";
import { resolveScan } from "@/lib/queries/scans";
import { parseViewFilter } from "@/lib/queries/view-filter";
import { REPORT_FORMATS, reportContentType, reportFileName, streamReportBytes } from "@/lib/report/render-report";
import { authorizeRequest } from "@/lib/server/authorize-request";
import { getDb } from "@/lib/server/db";

export const dynamic = "force-dynamic";

const query = z.object({ scan: z.string().regex(/^\d+$/).optional(), format: z.enum(REPORT_FORMATS) });

export async function GET(request: NextRequest): Promise<Response> {
  const denied = authorizeRequest(request);
  if (denied) return denied;
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = query.safeParse({ scan: raw.scan, format: raw.format });
  const { filter, error } = parseViewFilter(raw);
  if (!parsed.success || error) {
    const issues = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)), ...(error ? [error] : [])];
    return Response.json({ error: issues.join("; ") }, { status: 400 });
  }
  const p = parsed.data;
  const scan = await resolveScan(p.scan);
  if (!scan) return Response.json({ error: "No complete scan to export." }, { status: 404 });
  const source = await openJsonReport(await getDb(), scan.id, { filter });
  const pieces = streamReportBytes(source, p.format);
  // Pull-based: the next page is read only when the client has taken the previous one.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A turn of the event loop first: PGlite answers in microtasks, so without it the next page
        // is read before the socket sends what is already queued (at 10,000 functions the HTML
        // report's first bytes waited 2 s behind its first page of functions).
        await new Promise((resolve) => setImmediate(resolve));
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        // The headers are gone: all that is left is to break the download, which the client sees as failed.
        console.error(`Export of scan ${scan.id} (${p.format}) failed: ${(error as Error).message}`);
        controller.error(error);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": reportContentType(p.format),
      "Content-Disposition": `attachment; filename="${reportFileName(source.head, p.format)}"`,
      // no-transform: Next's `compress` would gzip the body as it streams, and on a whole organization
      // (346 MB of JSON at 10,000 functions) that alone took 4 s of the server's CPU; an export is a
      // download, mostly to a machine near the server, so the bytes go out as they are.
      "Cache-Control": "no-store, no-transform",
      // Not buffered by a proxy: the point is that the download starts at once.
      "X-Accel-Buffering": "no",
    },
  });
}
