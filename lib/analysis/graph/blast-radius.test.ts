import { beforeAll, describe, expect, it } from "vitest";
import { loadAccessLevels } from "../policy/access-levels";
import { blastRadius } from "./blast-radius";
import { buildPermissionGraph } from "./edges";
import { reachSeenFrom, roleReach } from "./reach";
import { ACCOUNT, escalationPath, functionArn, grant, lambdaFunction, perms, role, roleArn, snapshotIndex } from "@/test/builders/analysis-builders";
import { LIST_CAPS, type Grant } from "../types";

beforeAll(async () => {
  await loadAccessLevels(["s3", "dynamodb", "secretsmanager", "iam", "sts", "lambda", "kms", "logs", "madeup"]);
});

function radiusOf(grants: Grant[], extraRoles = [role("other")]) {
  const index = snapshotIndex({ roles: [role("ra"), ...extraRoles], functions: [lambdaFunction("a", "ra")] });
  const fn = index.functions.get(functionArn("a"))!;
  return blastRadius({ index, fn, perms: perms(roleArn("ra"), grants), escalationPaths: [] });
}

function level(br: ReturnType<typeof radiusOf>, service: string, name: string) {
  return br.services.find((s) => s.service === service)?.levels.find((l) => l.level === name);
}

describe("blastRadius", () => {
  it("puts s3:GetObject under Read with its resource pattern", () => {
    // Given GetObject on one bucket's objects / When computing the blast radius / Then s3 Read lists it on that pattern
    const br = radiusOf([grant(["s3:getobject"], ["arn:aws:s3:::reports/*"])]);
    expect(level(br, "s3", "Read")).toEqual({ level: "Read", actions: ["s3:getobject"], actionCount: 1, resources: ["arn:aws:s3:::reports/*"] });
  });

  it("counts s3:PutBucketPolicy under both Permissions management and Write", () => {
    // Given PutBucketPolicy (a compound level) / When computing / Then it appears in both buckets
    const br = radiusOf([grant(["s3:putbucketpolicy"], ["arn:aws:s3:::reports"])]);
    expect(level(br, "s3", "Permissions management")?.actions).toEqual(["s3:putbucketpolicy"]);
    expect(level(br, "s3", "Write")?.actions).toEqual(["s3:putbucketpolicy"]);
  });

  it("puts s3:ListAllMyBuckets under List", () => {
    // Given ListAllMyBuckets on * / When computing / Then s3 List holds it on *
    const br = radiusOf([grant(["s3:listallmybuckets"], ["*"])]);
    expect(level(br, "s3", "List")).toEqual({ level: "List", actions: ["s3:listallmybuckets"], actionCount: 1, resources: ["*"] });
  });

  it("orders levels as ACCESS_LEVELS does", () => {
    // Given Write, Read and List actions on s3 / When computing / Then levels come List, Read, Write
    const br = radiusOf([grant(["s3:putobject", "s3:getobject", "s3:listbucket"], ["*"])]);
    expect(br.services.find((s) => s.service === "s3")?.levels.map((l) => l.level)).toEqual(["List", "Read", "Write"]);
  });

  it("keeps only the resources that belong to each action's service", () => {
    // Given one statement with s3 and dynamodb actions on a bucket and a table
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
    const br = radiusOf([grant(["s3:getobject", "dynamodb:getitem"], ["arn:aws:s3:::reports/*", table])]);
    // When computing / Then each service lists only its own ARN
    expect(level(br, "s3", "Read")?.resources).toEqual(["arn:aws:s3:::reports/*"]);
    expect(level(br, "dynamodb", "Read")?.resources).toEqual([table]);
  });

  it("buckets an action iam-data does not know as Write", () => {
    // Given an unknown action in a loaded (but unknown) service / When computing / Then it is counted as Write, not dropped
    const br = radiusOf([grant(["madeup:dothing"], ["*"])]);
    expect(level(br, "madeup", "Write")?.actions).toEqual(["madeup:dothing"]);
  });

  it("classifies data-store reads, writes and deletes", () => {
    // Given DynamoDB read, write and delete on one table and a secret read
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
    const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`;
    const br = radiusOf([grant(["dynamodb:getitem", "dynamodb:putitem", "dynamodb:deleteitem"], [table]), grant(["secretsmanager:getsecretvalue"], [secret])]);
    // When computing / Then each kind lists the store, resource and actions
    expect(br.dataStores.read).toEqual([
      { service: "dynamodb", resource: table, actions: ["dynamodb:getitem"], conditional: false },
      { service: "secretsmanager", resource: secret, actions: ["secretsmanager:getsecretvalue"], conditional: false },
    ]);
    expect(br.dataStores.write).toEqual([{ service: "dynamodb", resource: table, actions: ["dynamodb:putitem"], conditional: false }]);
    expect(br.dataStores.delete).toEqual([{ service: "dynamodb", resource: table, actions: ["dynamodb:deleteitem"], conditional: false }]);
  });

  it("marks data-store access conditional when every grant behind it is", () => {
    // Given GetObject only under a condition / When computing / Then the read is conditional
    const br = radiusOf([grant(["s3:getobject"], ["*"], { conditions: { StringEquals: { "s3:ExistingObjectTag/team": "a" } } })]);
    expect(br.dataStores.read).toMatchObject([{ service: "s3", resource: "*", conditional: true }]);
  });

  it("does not count configuration reads as data reads", () => {
    // Given only GetBucketPolicy / When computing / Then no data store is read
    const br = radiusOf([grant(["s3:getbucketpolicy"], ["*"])]);
    expect(br.dataStores.read).toEqual([]);
  });

  it("lists roles it can pass, not itself", () => {
    // Given PassRole on every role / When computing / Then the other roles are passable
    const br = radiusOf([grant(["iam:passrole"], ["*"])], [role("other"), role("third")]);
    expect(br.rolesPassable).toEqual([roleArn("other"), roleArn("third")]);
  });

  it("lists a role as assumable only when its trust policy admits the function's role", () => {
    // Given AssumeRole on *; trusted names ra, untrusted trusts only Lambda
    const trusted = role("trusted", { trust: { Statement: [{ Effect: "Allow", Principal: { AWS: roleArn("ra") }, Action: "sts:AssumeRole" }] } });
    const br = radiusOf([grant(["sts:assumerole"], ["*"])], [trusted, role("untrusted")]);
    // When computing / Then only trusted is assumable
    expect(br.rolesAssumable).toEqual([roleArn("trusted")]);
  });

  it("counts distinct actions, services and resources", () => {
    // Given two grants over s3 and kms / When computing / Then totals count each once
    const br = radiusOf([grant(["s3:getobject", "s3:putobject"], ["arn:aws:s3:::b/*"]), grant(["kms:decrypt", "s3:getobject"], ["*"])]);
    expect(br.totals).toEqual({ actions: 3, services: 2, resources: 2, reachableFunctions: 0 });
  });

  it("takes reachable functions from the graph and escalation paths as given", () => {
    // Given a may update b's code and an escalation path was found
    const index = snapshotIndex({ roles: [role("ra"), role("rb")], functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb")] });
    const grants = { [roleArn("ra")]: [grant(["lambda:updatefunctioncode"], [functionArn("b")])] };
    const graph = buildPermissionGraph(index, (arn) => perms(arn, grants[arn] ?? []));
    const path = escalationPath();
    // When computing with the graph / Then b is reachable and the path is carried
    const br = blastRadius({ index, fn: index.functions.get(functionArn("a"))!, perms: graph.permsOf(roleArn("ra"))!, graph, escalationPaths: [path] });
    expect(br.reachableFunctions.map((r) => r.arn)).toEqual([functionArn("b")]);
    expect(br.escalationPaths).toEqual([path]);
  });
});

describe("blastRadius lists", () => {
  it("caps the listed reachable functions but counts them all", () => {
    // Given a may update the code of more functions than LIST_CAPS allows
    const names = Array.from({ length: LIST_CAPS.reachableFunctions + 20 }, (_, i) => `f${i}`);
    const index = snapshotIndex({ roles: [role("ra"), role("rf")], functions: [lambdaFunction("a", "ra"), ...names.map((n) => lambdaFunction(n, "rf"))] });
    const graph = buildPermissionGraph(index, (arn) => perms(arn, arn === roleArn("ra") ? [grant(["lambda:updatefunctioncode"], ["*"])] : []));
    // When computing the blast radius / Then the list is capped and the total is complete
    const br = blastRadius({ index, fn: index.functions.get(functionArn("a"))!, perms: graph.permsOf(roleArn("ra"))!, graph, escalationPaths: [] });
    expect(br.reachableFunctions).toHaveLength(LIST_CAPS.reachableFunctions);
    expect(br.totals.reachableFunctions).toBe(names.length);
  });

  it("lists the start of the role's whole reach list when the cap falls among equally distant functions", () => {
    // Given a may update the code of 20 "z" functions and the configuration of 20 "a" functions,
    // all one move away: more than the cap, found z first, listed a first (by ARN)
    const zs = Array.from({ length: 20 }, (_, i) => `z${i}`);
    const as = Array.from({ length: 20 }, (_, i) => `a${i}`);
    const index = snapshotIndex({ roles: [role("ra"), role("rf")], functions: [lambdaFunction("start", "ra"), ...[...zs, ...as].map((n) => lambdaFunction(n, "rf"))] });
    const grants = [grant(["lambda:updatefunctioncode"], [functionArn("z*")]), grant(["lambda:updatefunctionconfiguration"], [functionArn("a*")])];
    const graph = buildPermissionGraph(index, (arn) => perms(arn, arn === roleArn("ra") ? grants : []));
    // When computing the blast radius / Then it lists what the function page lists first (the role's stored reach, seen from it)
    const br = blastRadius({ index, fn: index.functions.get(functionArn("start"))!, perms: graph.permsOf(roleArn("ra"))!, graph, escalationPaths: [] });
    const pageStart = reachSeenFrom(roleReach(graph, roleArn("ra")), functionArn("start")).slice(0, LIST_CAPS.reachableFunctions);
    expect(br.totals.reachableFunctions).toBe(40);
    expect(br.reachableFunctions).toEqual(pageStart);
    expect(br.reachableFunctions.map((r) => r.arn)).toContain(functionArn("a9"));
  });

  it("caps the actions listed per level but counts them all", () => {
    // Given every s3 action (more Write actions than the cap) / When computing / Then Write lists the cap and counts all
    const s3Write = Array.from({ length: LIST_CAPS.actionsPerLevel + 5 }, (_, i) => `s3:madeupwrite${i}`);
    const br = radiusOf([grant(s3Write, ["*"])]);
    const write = level(br, "s3", "Write")!;
    expect(write.actions).toHaveLength(LIST_CAPS.actionsPerLevel);
    expect(write.actionCount).toBe(s3Write.length);
  });
});
