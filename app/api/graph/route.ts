import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { EDGE_FILTERS, parseEdgeFilter, type EdgeFilter } from "@/components/permission-graph/graph-view-model";
import { FINDING_CATEGORIES } from "@/lib/analysis/types";
import { functionGraphIn } from "@/lib/queries/permission-graph";
import { getDb } from "@/lib/server/db";
import { resolveScan } from "@/lib/queries/scans";
import { authorize } from "@/lib/server/authorize";

export const dynamic = "force-dynamic";

const query = z.object({
  scan: z
    .string()
    .regex(/^\d+$/, "scan must be a scan id (a positive integer)")
    .optional(),
  arn: z.string({ error: "arn is required (a Lambda function ARN)" }).startsWith("arn:aws", "arn must be a Lambda function ARN").max(2048),
  depth: z.coerce.number().int("depth must be a whole number from 1 to 5").min(1, "depth must be from 1 to 5").max(5, "depth must be from 1 to 5").optional(),
  kind: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const out: EdgeFilter[] = [];
      for (const word of value.split(",")) {
        const f = parseEdgeFilter(word);
        if (!f) {
          ctx.addIssue({ code: "custom", message: `unknown kind "${word.trim()}": use ${EDGE_FILTERS.join(", ")} or an edge kind such as can-read` });
          return z.NEVER;
        }
        if (!out.includes(f)) out.push(f);
      }
      return out;
    }),
  category: z.enum(FINDING_CATEGORIES, { message: `category must be one of ${FINDING_CATEGORIES.join(", ")}` }).optional(),
});

/**
 * GET /api/graph?scan=&arn=&depth=&kind=&category= — the permission graph around one function,
 * as the graph page draws it (for the CLI, exports and other non-page callers).
 */
export async function GET(request: NextRequest) {
  try {
    await authorize();
  } catch (error) {
    return NextResponse.json({ error: (error as Error).message }, { status: 401 });
  }
  const params = Object.fromEntries([...request.nextUrl.searchParams].filter(([, v]) => v !== ""));
  const parsed = query.safeParse(params);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
    return NextResponse.json({ error: message }, { status: 400 });
  }
  const { scan: scanParam, arn, depth, kind, category } = parsed.data;
  const scan = await resolveScan(scanParam);
  if (!scan) return NextResponse.json({ error: scanParam ? `No complete scan with id ${scanParam}.` : "No complete scan yet." }, { status: 404 });
  const graph = await functionGraphIn(await getDb(), scan.id, arn, { depth, levels: kind, category });
  if (!graph) return NextResponse.json({ error: `No function ${arn} in scan ${scan.id}.` }, { status: 404 });
  return NextResponse.json(graph, { headers: { "Cache-Control": "no-store" } });
}
