/** `saltzer rules`: the catalogue is data a report can print. */
import { canonicalActions } from "@/lib/queries/action-names";
import { REQUEST_KIND_KEYS } from "@/lib/analysis/policy/conditions";
import { CHAIN_METHOD } from "@/lib/analysis/escalation/escalation-paths";
import { TARGET_TESTS } from "@/lib/analysis/escalation/checkers";
import { ESCALATION_METHODS } from "@/lib/analysis/escalation/methods";
import { RISK_FORMULA } from "@/lib/analysis/risk-score";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { safeTerminalBlock, safeTerminalJson, safeTerminalText } from "./terminal-text";
import { parse, type Out } from "./command-io";

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** Every escalation method with its required actions, target test and sources; the chain last. */
export function escalationCatalogue() {
  return [
    ...ESCALATION_METHODS.map((m) => ({
      id: m.id,
      title: m.title,
      kind: m.kind,
      // Shown (and in --json) in AWS's spelling; the catalogue itself matches lower-cased.
      requires: [...(m.passedToService ? [["iam:passrole"]] : []), ...m.requires].map(canonicalActions),
      passedToService: m.passedToService ?? null,
      targetTest: TARGET_TESTS[m.kind],
      confidence: m.kind === "existing-resource" || m.needsExisting ? "possible — not collected" : "detected",
      settledBy: m.existing?.collection ?? null,
      pathfinding: m.catalogue,
      sources: m.references,
    })),
    {
      id: CHAIN_METHOD.id,
      title: CHAIN_METHOD.title,
      kind: "chain",
      requires: [],
      passedToService: null,
      targetTest: CHAIN_METHOD.targetTest,
      confidence: "detected",
      settledBy: null,
      pathfinding: [],
      sources: ["https://github.com/nccgroup/PMapper"],
    },
  ];
}

export function formatEscalationMethods(json: boolean): string {
  const methods = escalationCatalogue();
  if (json) return `${safeTerminalJson(JSON.stringify({ escalationMethods: methods }, null, 2))}\n`;
  const blocks = methods.map((m) =>
    [
      `${m.id} — ${m.title} [${m.confidence}]`,
      `  requires:    ${m.requires.length ? m.requires.map((g) => g.join(" | ")).join(" + ") : "(the hops' own)"}${m.passedToService ? ` (passed to ${m.passedToService})` : ""}`,
      `  target test: ${m.targetTest}`,
      ...(m.settledBy ? [`  settled by:  ${m.settledBy}`] : []),
      `  sources:     ${[...m.pathfinding.map((id) => `pathfinding.cloud ${id}`), ...m.sources].join(", ")}`,
    ].join("\n"),
  );
  return `${methods.length} escalation methods\n\n${blocks.join("\n\n")}\n`;
}

export function formatRules(json: boolean, escalation = false): string {
  if (escalation) return formatEscalationMethods(json);
  if (json) return `${safeTerminalJson(JSON.stringify({ rules: RULE_CATALOGUE, riskFormula: RISK_FORMULA, settledConditionKeys: REQUEST_KIND_KEYS }, null, 2))}\n`;
  const rules = table(["RULE", "CATEGORY", "SEVERITY", "TITLE"], RULE_CATALOGUE.map((r) => [r.id, r.category, r.severity, r.title].map(safeTerminalText)));
  const keys = REQUEST_KIND_KEYS.map((k) => `  ${k.key} = ${k.value ?? "(absent)"}: ${k.why}\n    ${k.doc}`).join("\n");
  return `${rules}\n\n${safeTerminalBlock(RISK_FORMULA)}\n\nCondition keys settled by the request (a Lambda role session's own call):\n${keys}\n\nEscalation methods: ${escalationCatalogue().length} (saltzer rules --escalation)\n`;
}

/** `saltzer rules [--escalation] [--json]`. */
export async function rulesCommand(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, { json: { type: "boolean" }, escalation: { type: "boolean" } });
  out.stdout(formatRules(Boolean(values.json), Boolean(values.escalation)));
  return 0;
}
