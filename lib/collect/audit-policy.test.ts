import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as regions from "@/lib/collect/ec2/regions";
import * as authorizationDetails from "@/lib/collect/iam/authorization-details";
import * as lastAccessed from "@/lib/collect/iam/last-accessed";
import * as eventSourceMappings from "@/lib/collect/lambda/event-source-mappings";
import * as functionPolicies from "@/lib/collect/lambda/function-policies";
import * as functionUrls from "@/lib/collect/lambda/function-urls";
import * as functions from "@/lib/collect/lambda/functions";
import * as organizationAccounts from "@/lib/collect/organizations/accounts";
import * as serviceControlPolicies from "@/lib/collect/organizations/service-control-policies";
import * as assumeRole from "@/lib/collect/sts/assume-role";

const COLLECT = path.resolve(import.meta.dirname);
const ROOT = path.resolve(COLLECT, "../..");

const collectors = [regions, authorizationDetails, lastAccessed, eventSourceMappings, functionPolicies, functionUrls, functions, organizationAccounts, serviceControlPolicies, assumeRole];
const declared = new Set(collectors.flatMap((c) => [...c.API_CALLS]));

// sts:GetCallerIdentity needs no permission: IAM cannot deny it.
const NEEDS_NO_PERMISSION = new Set(["sts:GetCallerIdentity"]);

/** `service:Operation` for every `new XxxCommand(` and `paginateXxx(` in the crawler's product code, by the client package it is imported from. */
function commandsInSource(): Set<string> {
  const actions = new Set<string>();
  const files = readdirSync(COLLECT, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("replay"));
  for (const file of files) {
    const source = readFileSync(path.join(COLLECT, file), "utf8");
    const imports = new Map<string, string>();
    for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([a-z0-9-]+)"/g)) {
      for (const name of m[1].split(",").map((s) => s.replace(/^\s*type\s+/, "").trim())) if (name) imports.set(name, m[2]);
    }
    for (const m of source.matchAll(/new\s+(\w+)Command\(/g)) {
      const service = imports.get(`${m[1]}Command`);
      if (!service) throw new Error(`${file}: ${m[1]}Command is not imported from an @aws-sdk/client-* package`);
      actions.add(`${service}:${m[1]}`);
    }
    // The SDK's paginators send the command they are named after.
    for (const m of source.matchAll(/\bpaginate(\w+)\(/g)) {
      const service = imports.get(`paginate${m[1]}`);
      if (!service) throw new Error(`${file}: paginate${m[1]} is not imported from an @aws-sdk/client-* package`);
      actions.add(`${service}:${m[1]}`);
    }
  }
  return actions;
}

function policyActions(document: { Statement: { Action: string | string[] }[] }): Set<string> {
  return new Set(document.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

describe("the shipped audit policy", () => {
  it("each collector declares exactly the SDK commands it sends", () => {
    // Given the commands the crawler's source constructs
    const used = [...commandsInSource()].filter((a) => !NEEDS_NO_PERMISSION.has(a)).sort();

    // Then they are the actions the collectors declare in API_CALLS
    expect(used).toEqual([...declared].sort());
  });

  it("policies/saltzer-audit-role.json allows exactly the API calls the crawler makes", () => {
    // Given the shipped policy
    const document = JSON.parse(readFileSync(path.join(ROOT, "policies/saltzer-audit-role.json"), "utf8"));

    // Then its actions are the declared calls, nothing more, nothing less, and all read-only
    expect([...policyActions(document)].sort()).toEqual([...declared].sort());
    expect([...declared].filter((a) => !/^[a-z0-9]+:(Get|List|Describe|Generate|AssumeRole$)/.test(a))).toEqual([]);
  });

  it("the CloudFormation role allows the per-account calls, without the Organizations reads and sts:AssumeRole", () => {
    // Given the StackSets template
    const template = readFileSync(path.join(ROOT, "policies/saltzer-audit-role.cfn.yaml"), "utf8");
    const actions = [...template.matchAll(/^\s*-\s+([a-z0-9]+:[A-Za-z]+)\s*$/gm)].map((m) => m[1]);

    // Then the role's policy holds exactly what a member account is asked for
    const perAccount = [...declared].filter((a) => !a.startsWith("organizations:") && a !== "sts:AssumeRole").sort();
    expect(actions.sort()).toEqual(perAccount);
  });
});
