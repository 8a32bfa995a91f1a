import { describe, expect, it } from "vitest";
import type { Severity } from "@/lib/analysis/types";
import { applyViewFilter, describeViewFilter, findingSearchText, parseViewFilter, viewFilterFromFlags, viewFilterToParams, type FilterableFunction } from "./view-filter";

const finding = (severity: Severity, category = "data-exfiltration", suppressed = false) => ({ severity, category, suppressed });
const fn = (name: string, over: Partial<FilterableFunction> = {}): FilterableFunction => ({
  name,
  arn: `arn:aws:lambda:us-east-1:222222222222:function:${name}`,
  accountId: "222222222222",
  region: "us-east-1",
  runtime: "nodejs20.x",
  roleArn: `arn:aws:iam::222222222222:role/${name}`,
  isPublic: false,
  sharedRole: false,
  incomplete: [],
  severity: "low",
  findings: [],
  ...over,
});

describe("applyViewFilter (the one filter of the view, exports, report and check)", () => {
  it("selects functions by their severity and lists only their findings at or above it", () => {
    // Given a high function with a high and a medium finding, and a medium one with a medium finding
    const fns = [fn("risky", { severity: "high", findings: [finding("high"), finding("medium")] }), fn("meh", { severity: "medium", findings: [finding("medium")] })];
    // When the view asks for high or worse
    const out = applyViewFilter(fns, { severity: "high" });
    // Then only the high function stays, with only its high finding
    expect(out.map((f) => f.name)).toEqual(["risky"]);
    expect(out[0].findings).toEqual([finding("high")]);
  });

  it("hides suppressed findings by default, shows them on request, and can show only them", () => {
    const fns = [fn("a", { findings: [finding("high"), finding("low", "public-invoke", true)] }), fn("b", { findings: [finding("low")] })];
    expect(applyViewFilter(fns, {})[0].findings).toHaveLength(1);
    expect(applyViewFilter(fns, { suppressed: "include" })[0].findings).toHaveLength(2);
    const only = applyViewFilter(fns, { suppressed: "only" });
    expect(only.map((f) => f.name)).toEqual(["a"]);
    expect(only[0].findings).toEqual([finding("low", "public-invoke", true)]);
  });

  it("selects by category only through unsuppressed findings unless suppressed ones are shown", () => {
    const fns = [fn("a", { findings: [finding("high", "public-invoke", true)] })];
    expect(applyViewFilter(fns, { category: "public-invoke" })).toEqual([]);
    expect(applyViewFilter(fns, { category: "public-invoke", suppressed: "include" })).toHaveLength(1);
  });

  it("filters on incomplete data, public, shared role and text", () => {
    const fns = [
      fn("gap", { incomplete: [{ api: "lambda:GetPolicy", reason: "AccessDenied" }] }),
      fn("open", { isPublic: true, sharedRole: true }),
      fn("Billing-Job", { runtime: "python3.12" }),
    ];
    expect(applyViewFilter(fns, { incomplete: true }).map((f) => f.name)).toEqual(["gap"]);
    expect(applyViewFilter(fns, { incomplete: false }).map((f) => f.name)).toEqual(["open", "Billing-Job"]);
    expect(applyViewFilter(fns, { public: true, sharedRole: true }).map((f) => f.name)).toEqual(["open"]);
    expect(applyViewFilter(fns, { q: "  billing " }).map((f) => f.name)).toEqual(["Billing-Job"]);
  });

  it("finds a function by an action or resource its findings name, listing only those findings", () => {
    // Given a function whose data finding names s3:PutObject on a bucket, and whose other finding does not
    const put = { ...finding("high"), searchText: findingSearchText(["s3:PutObject"], ["arn:aws:s3:::reports/*"]) };
    const other = { ...finding("medium", "admin-access"), searchText: findingSearchText(["iam:PassRole"], ["*"]) };
    const fns = [fn("uploader", { findings: [put, other] }), fn("reader", { findings: [other] })];
    // When the user searches an action in any case, or a resource
    // Then only the function naming it is listed, with only the finding that names it
    expect(applyViewFilter(fns, { q: "S3:PUTOBJECT" })).toEqual([{ ...fns[0], findings: [put] }]);
    expect(applyViewFilter(fns, { q: "reports/" }).map((f) => f.findings)).toEqual([[put]]);
    // And a match on the function itself keeps all its findings
    expect(applyViewFilter(fns, { q: "uploader" })[0].findings).toEqual([put, other]);
    // And a surface that did not load the findings' text fails loudly instead of listing fewer functions
    expect(() => applyViewFilter([fn("x", { findings: [finding("high")] })], { q: "s3:" })).toThrow(/search: true/);
  });
});

describe("the filter's spellings", () => {
  it("reads the same filter from URL parameters and CLI flags, and writes it back", () => {
    const fromUrl = parseViewFilter({ severity: "high", account: "222222222222", public: "yes", incomplete: "no", suppressed: "include", page: "2" });
    const fromCli = viewFilterFromFlags({ severity: "high", account: "222222222222", "public-only": true, incomplete: "no", "include-suppressed": true });
    expect(fromUrl.error).toBeNull();
    expect(fromCli.filter).toEqual(fromUrl.filter);
    expect(parseViewFilter(viewFilterToParams(fromUrl.filter)).filter).toEqual(fromUrl.filter);
    expect(describeViewFilter(fromUrl.filter)).toBe("account 222222222222, severity ≥ high, public only, complete data only, suppressed findings included");
  });

  it("reports a bad value instead of ignoring it", () => {
    expect(parseViewFilter({ severity: "severe" }).error).toMatch(/severity/);
    expect(viewFilterFromFlags({ public: "maybe" }).error).toMatch(/public/);
  });
});
