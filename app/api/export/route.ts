/** "Export this view": the risk view's own filter (lib/queries/view-filter.ts), rendered by the CLI's code. */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { buildJsonReport } from "@/lib/queries/json-report";
import { resolveScan } from "@/lib/queries/scans";
import { parseViewFilter } from "@/lib/queries/view-filter";
import { REPORT_FORMATS, renderReport, reportFileName } from "@/lib/report/render-report";
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
  const report = await buildJsonReport(await getDb(), scan.id, { filter });
  const rendered = renderReport(report, p.format);
  return new Response(rendered.body, {
    headers: {
      "Content-Type": rendered.contentType,
      "Content-Disposition": `attachment; filename="${reportFileName(report, p.format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
