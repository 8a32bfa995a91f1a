/** A function's URLs with their auth type. */
import { z } from "zod";
import type { FunctionUrl } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const functionUrlsCodec = jsonColumn<FunctionUrl[]>(
  "functions",
  "urls",
  z.array(z.looseObject({ url: z.string(), authType: z.enum(["NONE", "AWS_IAM"]), qualifier: z.string().nullable() })),
);
