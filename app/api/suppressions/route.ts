/** The suppression register as a download (CSV or JSON): what /suppressions lists, for the client. */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { resolveScan } from "@/lib/queries/scans";
import { registerToCsv, registerToJson, suppressionRegister } from "@/lib/queries/suppression-register";
import { authorizeRequest } from "@/lib/server/authorize-request";
import { getDb } from "@/lib/server/db";

export const dynamic = "force-dynamic";

const query = z.object({ format: z.enum(["csv", "json"]), scan: z.string().regex(/^\d+$/, "scan: expected a scan number").optional() });

export async function GET(request: NextRequest): Promise<Response> {
  const denied = authorizeRequest(request);
  if (denied) return denied;
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = query.safeParse(raw);
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const scan = await resolveScan(parsed.data.scan);
  if (parsed.data.scan && !scan) return Response.json({ error: `Scan ${parsed.data.scan} does not exist or is not complete.` }, { status: 404 });
  const register = await suppressionRegister(await getDb(), scan?.id ?? null);
  const day = new Date().toISOString().slice(0, 10);
  const csv = parsed.data.format === "csv";
  return new Response(csv ? registerToCsv(register) : registerToJson(register), {
    headers: {
      "Content-Type": csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="saltzer-suppressions-${day}.${parsed.data.format}"`,
      "Cache-Control": "no-store",
    },
  });
}
