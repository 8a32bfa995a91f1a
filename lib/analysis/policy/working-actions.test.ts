import { describe, expect, it } from "vitest";
import { actionSetOf, actionUniverse } from "./action-expansion";
import { internActionList, WorkingActions } from "./working-actions";

describe("WorkingActions", () => {
  it("gives statements left with the same actions one shared array, so caches keyed by it hold one entry", () => {
    // Given two statements on `*` that lose the same actions to a deny, and a third that loses others
    const all = actionUniverse().actions;
    const a = new WorkingActions(all);
    const b = new WorkingActions(all);
    const c = new WorkingActions(all);
    a.remove(["s3:getobject", "iam:passrole"]);
    b.remove(["iam:passrole", "s3:getobject"]);
    c.remove(["s3:getobject"]);
    // When their remaining actions are read
    const [left, same, other] = [a.toArray(), b.toArray(), c.toArray()];
    // Then the equal ones are one array, in the universe's order and without the removed actions
    expect(same).toBe(left);
    expect(left).toHaveLength(all.length - 2);
    expect(left).not.toContain("s3:getobject");
    expect(other).not.toBe(left);
    expect(other).toContain("iam:passrole");
  });
});

describe("internActionList", () => {
  it("returns the list already known for equal content", () => {
    // Given a long list kept by one permission set
    const first = actionUniverse().actions.filter((a) => a.startsWith("ec2:"));
    expect(internActionList(first)).toBe(first);
    // When another permission set keeps a list with the same actions
    const second = [...first];
    // Then it gets the first list back, and a list with other actions stays its own
    expect(internActionList(second)).toBe(first);
    const third = first.slice(1);
    expect(internActionList(third)).toBe(third);
  });
});

describe("actionSetOf", () => {
  it("answers membership for a 22k-action array, unknown actions included", () => {
    // Given `*` minus one action, plus an action iam-data does not know
    const actions = [...actionUniverse().actions.filter((a) => a !== "s3:getobject"), "newsvc:doit"];
    const lookup = actionSetOf(actions);
    // Then it holds what the array holds and nothing else
    expect(lookup.has("s3:putobject")).toBe(true);
    expect(lookup.has("newsvc:doit")).toBe(true);
    expect(lookup.has("s3:getobject")).toBe(false);
    expect(lookup.has("othersvc:doit")).toBe(false);
  });
});
