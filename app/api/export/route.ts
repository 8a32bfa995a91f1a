/** Report downloads for the dashboard: the CLI's code, with the risk view's filters applied. */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { SEVERITIES } from "@/lib/analysis/types";
import { resolveScan } from "@/lib/queries/scans";
import { buildJsonReport } from "@/lib/report/build-json-report";
import { filterReport } from "@/lib/report/filter-report";
import { REPORT_FORMATS, renderReport, reportFileName } from "@/lib/report/render-report";
import { authorizeRequest } from "@/lib/server/authorize-request";
import { getDb } from "@/lib/server/db";

export const dynamic = "force-dynamic";

const yesNo = z.enum(["yes", "no"]).optional().transform((v) => (v === undefined ? undefined : v === "yes"));
const query = z.object({
  scan: z.string().regex(/^\d+$/).optional(),
  format: z.enum(REPORT_FORMATS),
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().max(40).optional(),
  runtime: z.string().max(40).optional(),
  severity: z.enum(SEVERITIES as [string, ...string[]]).optional(),
  category: z.string().max(60).optional(),
  q: z.string().max(200).optional(),
  public: yesNo,
  shared: yesNo,
  suppressed: z.enum(["include"]).optional(),
});

export async function GET(request: NextRequest): Promise<Response> {
  const denied = authorizeRequest(request);
  if (denied) return denied;
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = query.safeParse(raw);
  if (!parsed.success) {
    return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  }
  const p = parsed.data;
  const scan = await resolveScan(p.scan);
  if (!scan) return Response.json({ error: "No complete scan to export." }, { status: 404 });
  const filters = {
    account: p.account,
    region: p.region,
    runtime: p.runtime,
    severity: p.severity as (typeof SEVERITIES)[number] | undefined,
    category: p.category,
    q: p.q,
    public: p.public,
    sharedRole: p.shared,
    includeSuppressed: p.suppressed === "include",
  };
  const report = filterReport(await buildJsonReport(await getDb(), scan.id), filters);
  const rendered = renderReport(report, p.format, { filters });
  return new Response(rendered.body, {
    headers: {
      "Content-Type": rendered.contentType,
      "Content-Disposition": `attachment; filename="${reportFileName(report, p.format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
