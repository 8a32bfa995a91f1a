import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { escalationCatalogue, formatRules } from "./rules-command";
import { REQUEST_KIND_KEYS } from "@/lib/analysis/policy/conditions";

describe("saltzer rules", () => {
  it("--escalation lists every method with its required actions, target test and sources", () => {
    // When the escalation catalogue is printed
    const out = formatRules(false, true);
    // Then every method appears with the three fields
    for (const m of escalationCatalogue()) {
      expect(out).toContain(`${m.id} — `);
      expect(m.targetTest.length).toBeGreaterThan(10);
      expect(m.sources.length).toBeGreaterThan(0);
    }
    expect(out).toContain("requires:    iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline");
    expect(out).toContain("settled by:  codebuild:ListProjects + BatchGetProjects");
  });

  it("lists every condition key the request settles, with its AWS documentation link", () => {
    const out = formatRules(false);
    for (const k of REQUEST_KIND_KEYS) {
      expect(out).toContain(k.key);
      expect(out).toContain(k.doc);
    }
  });

  it("the README's method count follows the catalogue", () => {
    const readme = readFileSync(path.resolve(__dirname, "../README.md"), "utf8");
    expect(readme).toContain(`privilege escalation (${escalationCatalogue().length} methods`);
  });
});
