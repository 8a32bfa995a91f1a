import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "./permission-queries";
import { candidateSet, matchCount, matchFor, matchTargets } from "./target-matching";
import { functionArn, grant, perms, statementRef } from "@/test/builders/analysis-builders";
import type { GrantLimit } from "../types";

const FUNCTIONS = ["orders", "orders-worker", "billing", "billing-admin", "audit"].map((n) => functionArn(n));
const PATTERNS = ["*", functionArn("orders*"), functionArn("billing"), functionArn("b?lling*"), functionArn("audit"), "arn:aws:lambda:*:*:function:*"];
const ACTION = "lambda:invokefunction";

const limitArb: fc.Arbitrary<GrantLimit> = fc.record({
  by: fc.constant(statementRef("limit")),
  kind: fc.constantFrom("deny-resources", "deny-conditional", "boundary-resources", "boundary-conditional", "scp-resources", "scp-conditional") as fc.Arbitrary<GrantLimit["kind"]>,
  actions: fc.constantFrom(null, [ACTION], ["lambda:getfunction"]),
  resources: fc.subarray(PATTERNS, { minLength: 1 }),
  conditions: fc.constant(null),
});

const grantArb = fc
  .record({
    resources: fc.subarray(PATTERNS, { minLength: 1 }),
    notResource: fc.boolean(),
    conditional: fc.boolean(),
    limits: fc.array(limitArb, { maxLength: 2 }),
    action: fc.constantFrom(ACTION, "lambda:getfunction"),
  })
  .map((g) =>
    grant([g.action], g.resources, {
      notResources: g.notResource ? g.resources : undefined,
      conditions: g.conditional ? { StringEquals: { "aws:RequestTag/team": "x" } } : undefined,
      limits: g.limits,
    }),
  );

describe("matchTargets", () => {
  it("agrees with decide on every candidate", () => {
    // Given random grants with patterns, NotResource, conditions and limits
    // When matching all candidates at once / Then each answer equals decide's (allowed, conditional)
    const cands = candidateSet("functions", FUNCTIONS);
    fc.assert(
      fc.property(fc.array(grantArb, { minLength: 1, maxLength: 4 }), (grants) => {
        const p = perms("role", grants);
        const matches = matchTargets(p, ACTION, cands);
        for (const fn of FUNCTIONS) {
          const d = decide(p, ACTION, fn);
          const m = matchFor(matches, fn);
          expect(m !== null).toBe(d.decision === "allowed");
          if (m) expect(m.conditional).toBe(d.conditional);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("matches every candidate without listing them for an unlimited * grant", () => {
    // Given lambda:InvokeFunction on * / When matching / Then the result is "all" with no per-target entries
    const cands = candidateSet("functions", FUNCTIONS);
    const matches = matchTargets(perms("role", [grant([ACTION], ["*"])]), ACTION, cands);
    expect(matches.all).not.toBeNull();
    expect(matches.some.size).toBe(0);
    expect(matchCount(matches, cands)).toBe(FUNCTIONS.length);
  });

  it("in overlap mode, a grant on part of a bucket covers the bucket's objects", () => {
    // Given s3:PutObject on uploads/* of a bucket whose every object triggers a function
    // When matching against `bucket/*` / Then the bucket matches (some keys can be written)
    const cands = candidateSet("s3", ["arn:aws:s3:::inbox/*", "arn:aws:s3:::other/*"], "overlap");
    const matches = matchTargets(perms("role", [grant(["s3:putobject"], ["arn:aws:s3:::inbox/uploads/*"])]), "s3:putobject", cands);
    expect([...matches.some.keys()]).toEqual(["arn:aws:s3:::inbox/*"]);
  });
});
