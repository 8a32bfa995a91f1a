/** A function's VPC configuration, or null outside a VPC. */
import { z } from "zod";
import type { LambdaFunction } from "@/lib/snapshot/types";
import { jsonColumn } from "./json-column";

export const vpcCodec = jsonColumn<LambdaFunction["vpc"]>(
  "functions",
  "vpc",
  z.looseObject({ subnetIds: z.array(z.string()), securityGroupIds: z.array(z.string()), vpcId: z.string().nullable() }).nullable(),
);
