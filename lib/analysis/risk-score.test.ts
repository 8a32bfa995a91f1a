import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadAccessLevels } from "./policy/access-levels";
import { blastRadius } from "./graph/blast-radius";
import { RISK_FORMULA, riskScore, scopeFactor, severityForScore, type RiskInput } from "./risk-score";
import { ACCOUNT, escalationPath, finding, functionArn, grant, lambdaFunction, perms, role, roleArn, snapshotIndex } from "@/test/builders/analysis-builders";
import type { BlastRadius, Grant } from "./types";

const trusting = role("trusting", { trust: { Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] } });
const index = snapshotIndex({ roles: [role("ra"), role("other"), trusting], functions: [lambdaFunction("a", "ra")] });
const fn = index.functions.get(functionArn("a"))!;
const NO_EXPOSURE: RiskInput["exposure"] = { public: false, crossAccount: false, outsideTriggers: 0 };
let n = 0;

function radius(grants: Grant[], escalations = [] as BlastRadius["escalationPaths"]): BlastRadius {
  // A fresh key per call: permissions with different grants must never share cached results.
  return blastRadius({ index, fn, perms: perms(roleArn("ra"), grants, `k${n++}`), escalationPaths: escalations });
}

function score(grants: Grant[], extra: Partial<RiskInput> = {}) {
  return riskScore({ blastRadius: radius(grants), findings: [], fn, exposure: NO_EXPOSURE, unusedShare: null, ...extra });
}

const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/a:*`;
const LEAST_PRIVILEGE = [
  grant(["logs:createlogstream", "logs:putlogevents"], [LOG_GROUP]),
  grant(["dynamodb:getitem", "dynamodb:putitem"], [TABLE]),
];
const ADMIN_ACTIONS = ["iam:putrolepolicy", "iam:attachrolepolicy", "iam:passrole", "s3:getobject", "s3:deleteobject", "lambda:updatefunctioncode", "ec2:runinstances", "sts:assumerole"];

beforeAll(async () => {
  await loadAccessLevels();
});

describe("riskScore", () => {
  it("scores an admin function above a read-only one", () => {
    // Given one function with admin-like permissions on * and one that may only read objects
    const admin = score([grant(ADMIN_ACTIONS, ["*"])]);
    const readOnly = score([grant(["s3:getobject", "s3:listbucket"], ["*"])]);
    // When scoring both / Then admin is higher, and critical
    expect(admin.score).toBeGreaterThan(readOnly.score);
    expect(admin.severity).toBe("critical");
  });

  it("scores a least-privilege function low", () => {
    // Given logs on its own log group and item access on one table / When scoring / Then severity is low or info
    const result = score(LEAST_PRIVILEGE);
    expect(["low", "info"]).toContain(result.severity);
  });

  it("scores a function with no permissions as info", () => {
    // Given no grants / When scoring / Then 0 and info
    expect(score([])).toMatchObject({ score: 0, severity: "info" });
  });

  it("raises the score for public exposure", () => {
    // Given the same permissions, public or not / When scoring / Then public scores 10 more
    const closed = score(LEAST_PRIVILEGE);
    const open = score(LEAST_PRIVILEGE, { exposure: { public: true, crossAccount: false, outsideTriggers: 0 } });
    expect(open.components.exposure - closed.components.exposure).toBe(10);
    expect(open.score).toBeGreaterThan(closed.score);
  });

  it("treats a usable escalation path as admin capability", () => {
    // Given read-only permissions but an escalation path / When scoring / Then capability is at the admin tier
    const result = riskScore({ blastRadius: radius([grant(["s3:getobject"], ["*"])], [escalationPath()]), findings: [], fn, exposure: NO_EXPOSURE, unusedShare: null });
    expect(result.components.capability).toBe(55);
  });

  it("lifts capability for an admin-access finding", () => {
    // Given narrow permissions but an admin-access finding / When scoring / Then capability is at the admin tier
    const result = riskScore({ blastRadius: radius(LEAST_PRIVILEGE), findings: [finding(fn.arn, { category: "admin-access" })], fn, exposure: NO_EXPOSURE, unusedShare: null });
    expect(result.components.capability).toBe(55);
  });

  it("adds more for unused permissions when the capability is higher", () => {
    // Given the same unused share on a narrow and a broad function / When scoring / Then the broad one's unused component is larger
    const narrow = score(LEAST_PRIVILEGE, { unusedShare: 0.8 });
    const broad = score([grant(ADMIN_ACTIONS, ["*"])], { unusedShare: 0.8 });
    expect(broad.components.unused).toBeGreaterThan(narrow.components.unused);
  });

  it("explains every component in a sentence", () => {
    // Given any function / When scoring / Then five explanation lines, the first naming the worst capability
    const result = score([grant(["s3:deleteobject"], ["*"])]);
    expect(result.explanation).toHaveLength(5);
    expect(result.explanation[0]).toMatch(/can delete s3 data on \*/);
  });

  it("never lowers the score when a grant is added", async () => {
    // Given a random permission set, exposure and unused share
    const actions = ["s3:getobject", "s3:putobject", "s3:deleteobject", "s3:putbucketpolicy", "s3:listallmybuckets", "dynamodb:getitem", "dynamodb:deleteitem", "iam:passrole", "iam:putrolepolicy", "sts:assumerole", "kms:decrypt", "ec2:describeinstances", "ec2:runinstances", "lambda:tagresource", "secretsmanager:getsecretvalue"];
    const resources = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::*", TABLE, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`, roleArn("other"), roleArn("trusting"), `arn:aws:iam::${ACCOUNT}:role/*`, "arn:aws:ec2:*:*:instance/i-1"];
    const grantArb = fc
      .record({
        actions: fc.subarray(actions, { minLength: 1, maxLength: 4 }),
        resources: fc.subarray(resources, { minLength: 1, maxLength: 3 }),
        conditional: fc.boolean(),
      })
      .map((g) => grant(g.actions, g.resources, g.conditional ? { conditions: { Bool: { "aws:SecureTransport": "true" } } } : {}));
    const inputArb = fc.record({
      before: fc.array(grantArb, { maxLength: 5 }),
      added: grantArb,
      exposure: fc.record({ public: fc.boolean(), crossAccount: fc.boolean(), outsideTriggers: fc.nat(4) }),
      unusedShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      escalate: fc.boolean(),
    });
    fc.assert(
      fc.property(inputArb, ({ before, added, exposure, unusedShare, escalate }) => {
        const escalations = escalate ? [escalationPath()] : [];
        const common = { findings: [], fn, exposure, unusedShare };
        // When the grant is added and everything is recomputed
        const s1 = riskScore({ ...common, blastRadius: radius(before, escalations) });
        const s2 = riskScore({ ...common, blastRadius: radius([...before, added], escalations) });
        // Then the score does not drop
        expect(s2.score).toBeGreaterThanOrEqual(s1.score);
      }),
      { numRuns: 300 },
    );
  });
});

describe("severityForScore", () => {
  it("maps the thresholds", () => {
    // Given scores on each side of every threshold / When mapping / Then severities follow the documented bands
    expect([100, 55, 54, 35, 34, 18, 17, 8, 7, 0].map(severityForScore)).toEqual(["critical", "critical", "high", "high", "medium", "medium", "low", "low", "info", "info"]);
  });
});

describe("scopeFactor", () => {
  it("ranks *, service-wide, partial and exact patterns", () => {
    // Given four patterns of decreasing breadth / When scoring scope / Then factors strictly decrease
    const factors = ["*", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`, "arn:aws:s3:::reports/*", TABLE].map(scopeFactor);
    expect([...factors].sort((a, b) => b - a)).toEqual(factors);
    expect(new Set(factors).size).toBe(4);
  });
});

describe("RISK_FORMULA", () => {
  it("documents every component and the severity bands", () => {
    // Given the printed formula / When reading it / Then each component and the thresholds appear
    for (const word of ["capability", "breadth", "exposure", "reach", "unused", "critical ≥ 55"]) expect(RISK_FORMULA).toContain(word);
  });
});

