import { beforeAll, describe, expect, it } from "vitest";
import { loadAccessLevels } from "../policy/access-levels";
import { FANOUT_LIMIT } from "./capabilities";
import { buildPermissionGraph, type PermissionGraph } from "./edges";
import { reach, reachDetailed } from "./reach";
import type { SnapshotIndex } from "../snapshot-index";
import {
  ACCOUNT,
  functionArn,
  grant,
  lambdaFunction,
  mapping,
  perms,
  role,
  roleArn,
  snapshotIndex,
  statementRef,
} from "@/test/builders/analysis-builders";
import type { EffectivePermissions, Grant } from "../types";
import { createPermissionsCache, effectivePermissions } from "../policy/effective-permissions";

const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-queue`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const STREAM = `${TABLE}/stream/2024-01-01T00:00:00.000`;

/** Graph over the index where each role's permissions are the given grants (none when absent). */
function graphOf(index: SnapshotIndex, grantsByRole: Record<string, Grant[]>): PermissionGraph {
  return buildPermissionGraph(index, (arn): EffectivePermissions => perms(arn, grantsByRole[arn] ?? []));
}

function edgesFrom(graph: PermissionGraph, from: string) {
  return graph.edges.filter((e) => e.from === from);
}

beforeAll(async () => {
  await loadAccessLevels(["s3", "sqs", "lambda", "iam", "sts", "dynamodb", "kinesis", "sns"]);
});

describe("buildPermissionGraph", () => {
  it("links each function to its execution role", () => {
    // Given function a running as role ra / When building the graph / Then a executes-as ra
    const index = snapshotIndex({ roles: [role("ra")], functions: [lambdaFunction("a", "ra")] });
    const graph = graphOf(index, {});
    expect(edgesFrom(graph, functionArn("a"))).toMatchObject([{ kind: "executes-as", to: roleArn("ra") }]);
  });

  it("draws can-invoke when the role may invoke the other function, naming the statement", () => {
    // Given ra may invoke b by its ARN (inline policy "app" statement #2, Sid CallB)
    const index = snapshotIndex({ roles: [role("ra"), role("rb")], functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:invokefunction"], [functionArn("b")], { source: statementRef("app", 2, "CallB") })] });
    // When reading a's edges / Then one can-invoke edge to b says why
    const edge = edgesFrom(graph, functionArn("a")).find((e) => e.kind === "can-invoke");
    expect(edge).toMatchObject({ to: functionArn("b"), shortReason: "lambda:InvokeFunction → b", conditional: false });
    expect(edge?.reason).toContain('inline policy "app" statement #2 (Sid CallB)');
    expect(edge?.reason).toContain(functionArn("b"));
  });

  it("draws can-trigger-via sqs when the role may send to a queue mapped to another function", () => {
    // Given orders-queue is mapped to b and ra may send to it
    const index = snapshotIndex({
      roles: [role("ra"), role("rb")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb")],
      mappings: [mapping(functionArn("b"), QUEUE)],
    });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["sqs:sendmessage"], [QUEUE])] });
    // When reading a's edges / Then a can trigger b via sqs, and the queue triggers b
    expect(edgesFrom(graph, functionArn("a")).find((e) => e.kind === "can-trigger-via")).toMatchObject({
      to: functionArn("b"),
      via: "sqs",
      shortReason: "sqs:SendMessage → orders-queue",
    });
    expect(edgesFrom(graph, QUEUE)).toMatchObject([{ kind: "triggers", to: functionArn("b"), via: "sqs" }]);
  });

  it("maps a DynamoDB stream back to its table for can-trigger-via dynamodb", () => {
    // Given b reads the orders table's stream and ra may PutItem on the table
    const index = snapshotIndex({
      roles: [role("ra"), role("rb")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb")],
      mappings: [mapping(functionArn("b"), STREAM)],
    });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["dynamodb:putitem"], [TABLE])] });
    // When reading a's edges / Then a can trigger b via dynamodb
    expect(edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-trigger-via")).toMatchObject([{ to: functionArn("b"), via: "dynamodb" }]);
  });

  it("draws can-trigger-via s3 from a bucket named in the function's resource policy", () => {
    // Given b's resource policy lets s3.amazonaws.com invoke it for bucket inbox, and ra may put objects under inbox/uploads/
    const b = lambdaFunction("b", "rb", {
      resourcePolicy: {
        Statement: [
          { Sid: "S3", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "lambda:InvokeFunction", Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::inbox" } } },
        ],
      },
    });
    const index = snapshotIndex({ roles: [role("ra"), role("rb")], functions: [lambdaFunction("a", "ra"), b] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["s3:putobject"], ["arn:aws:s3:::inbox/uploads/*"])] });
    // When reading a's edges / Then a can trigger b via s3
    expect(edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-trigger-via")).toMatchObject([{ to: functionArn("b"), via: "s3" }]);
  });

  it("draws can-trigger-via sns to a topic the function's resource policy allows", () => {
    // Given b may be invoked by SNS for topic alerts, and ra may publish to it
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
    const b = lambdaFunction("b", "rb", {
      resourcePolicy: {
        Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "lambda:InvokeFunction", Condition: { ArnEquals: { "aws:SourceArn": topic } } }],
      },
    });
    const index = snapshotIndex({ roles: [role("ra"), role("rb")], functions: [lambdaFunction("a", "ra"), b] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["sns:publish"], [topic])] });
    // When reading a's edges / Then a can trigger b via sns
    expect(edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-trigger-via")).toMatchObject([{ to: functionArn("b"), via: "sns" }]);
  });

  it("collapses a wildcard grant over many functions into one edge to the pattern", () => {
    // Given more functions than the fan-out limit and ra may update the code of all of them
    const names = Array.from({ length: FANOUT_LIMIT + 5 }, (_, i) => `f${i}`);
    const index = snapshotIndex({ roles: [role("ra"), role("rf")], functions: [lambdaFunction("a", "ra"), ...names.map((n) => lambdaFunction(n, "rf"))] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:updatefunctioncode"], ["*"])] });
    // When reading a's edges / Then there is one can-update-code edge to "*" counting the functions
    const edges = edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-update-code");
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ to: "*", shortReason: `lambda:UpdateFunctionCode → * (${names.length + 1})` });
  });

  it("groups data actions per service and resource pattern into one can-read edge", () => {
    // Given ra may GetObject and GetObjectVersion on one bucket's objects
    const index = snapshotIndex({ roles: [role("ra")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["s3:getobject", "s3:getobjectversion"], ["arn:aws:s3:::reports/*"])] });
    // When reading ra's edges / Then one can-read edge to the pattern lists both actions
    const reads = edgesFrom(graph, roleArn("ra")).filter((e) => e.kind === "can-read");
    expect(reads).toHaveLength(1);
    expect(reads[0].to).toBe("arn:aws:s3:::reports/*");
    expect(reads[0].reason).toContain("s3:getobject, s3:getobjectversion");
  });

  it("draws can-manage for permissions-management actions", () => {
    // Given ra may PutBucketPolicy on a bucket / When reading ra's edges / Then it can manage that bucket
    const index = snapshotIndex({ roles: [role("ra")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["s3:putbucketpolicy"], ["arn:aws:s3:::reports"])] });
    expect(edgesFrom(graph, roleArn("ra")).filter((e) => e.kind === "can-manage")).toMatchObject([{ to: "arn:aws:s3:::reports" }]);
  });

  it("draws can-assume only to roles whose trust policy admits the role", () => {
    // Given ra may AssumeRole on anything; trusting trusts the account root, lambdaOnly trusts only Lambda
    const trusting = role("trusting", { trust: { Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] } });
    const index = snapshotIndex({ roles: [role("ra"), trusting, role("lambdaOnly")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["sts:assumerole"], ["*"])] });
    // When reading ra's edges / Then it can assume trusting and not lambdaOnly
    const assumes = edgesFrom(graph, roleArn("ra")).filter((e) => e.kind === "can-assume");
    expect(assumes.map((e) => e.to)).toEqual([roleArn("trusting")]);
    expect(assumes[0].reason).toContain("trust policy statement #0");
  });

  it("does not draw can-assume when the trust admits the role but its policy does not allow AssumeRole", () => {
    // Given target trusts ra by ARN, but ra has no sts:AssumeRole / When building / Then no can-assume edge
    const target = role("target", { trust: { Statement: [{ Effect: "Allow", Principal: { AWS: roleArn("ra") }, Action: "sts:AssumeRole" }] } });
    const index = snapshotIndex({ roles: [role("ra"), target] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["s3:getobject"], ["*"])] });
    expect(edgesFrom(graph, roleArn("ra")).filter((e) => e.kind === "can-assume")).toEqual([]);
  });

  it("draws can-pass for each role the PassRole grant names", () => {
    // Given ra may pass rb / When building / Then ra → rb can-pass
    const index = snapshotIndex({ roles: [role("ra"), role("rb"), role("rc")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["iam:passrole"], [roleArn("rb")])] });
    expect(edgesFrom(graph, roleArn("ra")).filter((e) => e.kind === "can-pass").map((e) => e.to)).toEqual([roleArn("rb")]);
  });
});

describe("reach", () => {
  it("follows update-code into another function and then that function's queue (2 hops)", () => {
    // Given a may update b's code, and b's role may send to a queue mapped to c
    const index = snapshotIndex({
      roles: [role("ra"), role("rb"), role("rc")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb"), lambdaFunction("c", "rc")],
      mappings: [mapping(functionArn("c"), QUEUE)],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["lambda:updatefunctioncode"], [functionArn("b")])],
      [roleArn("rb")]: [grant(["sqs:sendmessage"], [QUEUE])],
    });
    // When walking from a / Then b is 1 hop away and c 2 hops, via update-code then the queue
    const reached = reach(graph, functionArn("a"));
    expect(reached.map((r) => [r.arn, r.hops])).toEqual([
      [functionArn("b"), 1],
      [functionArn("c"), 2],
    ]);
    expect(reached[1].path.map((e) => e.kind)).toEqual(["can-update-code", "can-trigger-via"]);
  });

  it("counts an invoked function as reached but does not walk through it", () => {
    // Given a may only invoke b, and b may update c's code
    const index = snapshotIndex({
      roles: [role("ra"), role("rb"), role("rc")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb"), lambdaFunction("c", "rc")],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["lambda:invokefunction"], [functionArn("b")])],
      [roleArn("rb")]: [grant(["lambda:updatefunctioncode"], [functionArn("c")])],
    });
    // When walking from a / Then only b is reached
    expect(reach(graph, functionArn("a")).map((r) => r.arn)).toEqual([functionArn("b")]);
  });

  it("does not walk through a function it can only trigger", () => {
    // Given a may send to c's queue, and c may update d's code
    const index = snapshotIndex({
      roles: [role("ra"), role("rc"), role("rd")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("c", "rc"), lambdaFunction("d", "rd")],
      mappings: [mapping(functionArn("c"), QUEUE)],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["sqs:sendmessage"], [QUEUE])],
      [roleArn("rc")]: [grant(["lambda:updatefunctioncode"], [functionArn("d")])],
    });
    // When walking from a / Then c is reached and d is not
    expect(reach(graph, functionArn("a")).map((r) => r.arn)).toEqual([functionArn("c")]);
  });

  it("holds a role passed into a function it can create, and walks on from it", () => {
    // Given ra may pass rpriv (which trusts Lambda) and create functions; rpriv may update d's code
    const index = snapshotIndex({
      roles: [role("ra"), role("rpriv"), role("rd")],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("d", "rd")],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["iam:passrole"], [roleArn("rpriv")]), grant(["lambda:createfunction"], ["*"])],
      [roleArn("rpriv")]: [grant(["lambda:updatefunctioncode"], [functionArn("d")])],
    });
    // When walking from a / Then d is reached in 2 hops through rpriv, and rpriv is a reached role
    const result = reachDetailed(graph, functionArn("a"));
    expect(result.functions.map((r) => [r.arn, r.hops])).toEqual([[functionArn("d"), 2]]);
    expect(result.functions[0].path.map((e) => e.kind)).toEqual(["executes-as", "can-create-with-role", "can-update-code"]);
    expect(result.roles.map((r) => r.arn)).toContain(roleArn("rpriv"));
  });

  it("stops after maxHops", () => {
    // Given a chain a → b → c → d of update-code permissions
    const index = snapshotIndex({
      roles: ["ra", "rb", "rc", "rd"].map((n) => role(n)),
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb"), lambdaFunction("c", "rc"), lambdaFunction("d", "rd")],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["lambda:updatefunctioncode"], [functionArn("b")])],
      [roleArn("rb")]: [grant(["lambda:updatefunctioncode"], [functionArn("c")])],
      [roleArn("rc")]: [grant(["lambda:updatefunctioncode"], [functionArn("d")])],
    });
    // When walking from a with maxHops 2 / Then d (3 hops) is not reached
    expect(reach(graph, functionArn("a"), 2).map((r) => r.arn)).toEqual([functionArn("b"), functionArn("c")]);
  });

  it("reports the compromising path when a function is both invocable and updatable", () => {
    // Given ra may both invoke and update b / When walking from a / Then b's path is the update-code edge
    const index = snapshotIndex({ roles: [role("ra"), role("rb")], functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb")] });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:invokefunction", "lambda:updatefunctioncode"], ["*"])] });
    expect(reach(graph, functionArn("a"))[0].path.map((e) => e.kind)).toEqual(["can-update-code"]);
  });
});

describe("with effectivePermissions", () => {
  it("reaches through policies as written: wildcard actions, a deny, and a queue", () => {
    // Given ra's policy allows lambda:Update* on functions with one-letter names but denies code updates on c, and rb may send to downstream's queue
    const index = snapshotIndex({
      roles: [
        role("ra", {
          policy: {
            Statement: [
              { Effect: "Allow", Action: "lambda:Update*", Resource: "arn:aws:lambda:*:*:function:?" },
              { Sid: "KeepCSafe", Effect: "Deny", Action: "lambda:UpdateFunctionCode", Resource: functionArn("c") },
            ],
          },
        }),
        role("rb", { policy: { Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: QUEUE }] } }),
        role("rc"),
        role("rd"),
      ],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb"), lambdaFunction("c", "rc"), lambdaFunction("downstream", "rd")],
      mappings: [mapping(functionArn("downstream"), QUEUE)],
    });
    const cache = createPermissionsCache();
    const graph = buildPermissionGraph(index, (arn) => effectivePermissions(index, arn, cache));
    // When walking from a
    const reached = reach(graph, functionArn("a"));
    // Then b is updated by code, c only by configuration (the deny removes code), and downstream is reached through b's queue
    const byArn = new Map(reached.map((r) => [r.arn, r]));
    expect(byArn.get(functionArn("b"))?.path.map((e) => e.kind)).toEqual(["can-update-code"]);
    expect(byArn.get(functionArn("c"))?.path.map((e) => e.kind)).toEqual(["can-update-config"]);
    expect(byArn.get(functionArn("downstream"))).toMatchObject({ hops: 2 });
    expect(byArn.get(functionArn("downstream"))?.path.map((e) => e.kind)).toEqual(["can-update-code", "can-trigger-via"]);
  });
});

describe("reachDetailed limit", () => {
  it("lists taken-over functions before merely invoked ones when capped", () => {
    // Given a may invoke i1..i3 and update the code of u1 only
    const index = snapshotIndex({
      roles: [role("ra"), role("rx")],
      functions: [lambdaFunction("a", "ra"), ...["i1", "i2", "i3", "u1"].map((n) => lambdaFunction(n, "rx"))],
    });
    const graph = graphOf(index, {
      [roleArn("ra")]: [grant(["lambda:invokefunction"], ["*"]), grant(["lambda:updatefunctioncode"], [functionArn("u1")])],
    });
    // When walking with a limit of 2 / Then u1 comes first, and the count covers all four
    const result = reachDetailed(graph, functionArn("a"), 5, 2);
    expect(result.functions[0].arn).toBe(functionArn("u1"));
    expect(result.functions).toHaveLength(2);
    expect(result.functionCount).toBe(4);
  });
});

describe("reach shared by a role's functions", () => {
  it("starts each function's paths from that function and leaves it out of its own result", () => {
    // Given a1 and a2 share role ra, which may update the code of every function
    const index = snapshotIndex({
      roles: [role("ra"), role("rb")],
      functions: [lambdaFunction("a1", "ra"), lambdaFunction("a2", "ra"), lambdaFunction("b", "rb")],
    });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:updatefunctioncode"], ["*"])] });
    // When walking from each / Then each reaches the other two, with paths starting at itself
    const fromA1 = reach(graph, functionArn("a1"));
    const fromA2 = reach(graph, functionArn("a2"));
    expect(fromA1.map((r) => r.arn).sort()).toEqual([functionArn("a2"), functionArn("b")]);
    expect(fromA2.map((r) => r.arn).sort()).toEqual([functionArn("a1"), functionArn("b")]);
    expect(fromA1.every((r) => r.path[0].from === functionArn("a1"))).toBe(true);
    expect(fromA2.every((r) => r.path[0].from === functionArn("a2"))).toBe(true);
  });
});

describe("cross-account invoke through a resource policy", () => {
  const OTHER = "222222222222";
  const policyGranting = (action: string) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "Partner", Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: action, Resource: functionArn("b", OTHER) }],
  });

  for (const action of ["lambda:InvokeFunction", "lambda:Invoke*", "lambda:*"]) {
    it(`a resource policy granting ${action} to the function's account is matched like an identity policy`, () => {
      // Given function b in another account whose resource policy admits our account with a wildcard action
      const index = snapshotIndex({
        roles: [role("ra"), role("rb", { account: OTHER })],
        functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb", { account: OTHER, resourcePolicy: policyGranting(action) })],
      });
      // And ra may invoke any function
      const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:invokefunction"])] });
      // When reading a's edges / Then a can invoke b across accounts
      expect(edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-invoke").map((e) => e.to)).toContain(functionArn("b", OTHER));
    });
  }

  it("a resource policy granting only lambda:GetFunction does not admit invocation", () => {
    const index = snapshotIndex({
      roles: [role("ra"), role("rb", { account: OTHER })],
      functions: [lambdaFunction("a", "ra"), lambdaFunction("b", "rb", { account: OTHER, resourcePolicy: policyGranting("lambda:GetFunction") })],
    });
    const graph = graphOf(index, { [roleArn("ra")]: [grant(["lambda:invokefunction"])] });
    expect(edgesFrom(graph, functionArn("a")).filter((e) => e.kind === "can-invoke").map((e) => e.to)).not.toContain(functionArn("b", OTHER));
  });
});
