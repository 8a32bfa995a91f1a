/** One data-store table (issue 11, point 5): every action a data finding names is in the blast radius under the same heading. */
import { beforeAll, describe, expect, it } from "vitest";
import { loadAccessLevels } from "@/lib/analysis/policy/access-levels";
import { blastRadius } from "@/lib/analysis/graph/blast-radius";
import { snapshotIndex } from "@/test/builders/analysis-builders";
import { evaluate as readAll } from "./data-store-read-all";
import { evaluate as writeAll } from "./data-store-write-all";
import { context, grant, lambdaFunction, perms, role, roleArn } from "@/test/builders/rule-fixtures";

beforeAll(async () => {
  await loadAccessLevels(["dax", "timestream", "s3", "es", "dynamodb"]);
});

const fn = lambdaFunction("labeler", { roleArn: roleArn("labeler-role") });

function radius(p: ReturnType<typeof perms>) {
  const index = snapshotIndex({ roles: [role("labeler-role")], functions: [fn] });
  return blastRadius({ index, fn: index.functions.get(fn.arn)!, perms: p, escalationPaths: [] });
}

describe("data findings and the blast radius read one table", () => {
  it("lists dax:Scan and timestream:Select on * as data it can read, where the read finding names them", () => {
    // Given a role with dax:Scan and timestream:Select on *
    const p = perms(fn.roleArn, [grant({ actions: ["dax:Scan", "timestream:Select"], resources: ["*"] })]);
    // When the read rule and the blast radius run
    const found = readAll(context(fn, { perms: p })).flatMap((h) => h.actions);
    const read = radius(p).dataStores.read.flatMap((d) => d.actions);
    // Then both actions are findings, and each is under "data it can read"
    expect(found.sort()).toEqual(["dax:scan", "timestream:select"]);
    for (const a of found) expect(read).toContain(a);
  });

  it("does not call bucket configuration (s3:PutBucketWebsite, es:CreateDomain) data tampering; object writes are, and are in the blast radius", () => {
    // Given configuration writes and object writes on *
    const p = perms(fn.roleArn, [grant({ actions: ["s3:PutBucketWebsite", "es:CreateDomain", "s3:PutObject", "dynamodb:DeleteItem"], resources: ["*"] })]);
    // When the write rule and the blast radius run
    const found = writeAll(context(fn, { perms: p })).flatMap((h) => h.actions);
    const br = radius(p);
    const writeOrDelete = [...br.dataStores.write, ...br.dataStores.delete].flatMap((d) => d.actions);
    // Then only the data actions are findings, each under data it can write or delete
    expect(found.sort()).toEqual(["dynamodb:deleteitem", "s3:putobject"]);
    for (const a of found) expect(writeOrDelete).toContain(a);
  });
});
