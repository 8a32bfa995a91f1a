import { DescribeRegionsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { UnusableResponseError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["ec2:DescribeRegions"] as const;

/** Regions enabled for the account (`aws ec2 describe-regions` lists only those by default). */
export async function collectEnabledRegions(ec2: EC2Client, signal?: AbortSignal): Promise<string[]> {
  const { Regions } = await ec2.send(new DescribeRegionsCommand({}), { abortSignal: signal });
  return (Regions ?? [])
    .filter((r) => r.OptInStatus !== "not-opted-in")
    .map((r) => {
      if (!r.RegionName) throw new UnusableResponseError("DescribeRegions returned a region without RegionName");
      return r.RegionName;
    })
    .sort();
}
