import { describe, expect, it } from "vitest";
import type { Severity } from "@/lib/analysis/types";
import { applyViewFilter, describeViewFilter, parseViewFilter, viewFilterFromFlags, viewFilterToParams, type FilterableFunction } from "./view-filter";

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
