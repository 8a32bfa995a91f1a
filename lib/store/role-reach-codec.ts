/**
 * The `role_reach.functions` JSON column: a role's whole reach, compact. Written as a list of
 * `ReachedFunction` it took 142 MiB at 10,000 functions (each path repeats its prefix, every
 * reason spells out the target ARN); here each step of the walk is stored once with its parent,
 * ARNs once in a table, and reasons as templates with the target's ARN and name left out
 * (one wildcard grant reaching 500 functions is one template). Decoding gives back exactly the
 * list that was encoded (a unit test round-trips it).
 */
import type { Edge, EdgeKind, ReachedFunction } from "@/lib/analysis/types";

/** Stored form (version 1). */
export interface StoredRoleReach {
  v: 1;
  /** ARNs and patterns, each once. */
  nodes: string[];
  /** Kinds, vias, reasons and short reasons, each once; TARGET_ARN / TARGET_NAME stand for the step's target. */
  texts: string[];
  /** [from, to, kind, via (-1: none), conditional (0/1), reason, shortReason, parent step (-1: first)] — indexes into nodes/texts/steps. */
  steps: [number, number, number, number, number, number, number, number][];
  /** [reached function (nodes), hops, last step of its path (steps)], in listing order. */
  entries: [number, number, number][];
}

const TARGET_ARN = "\u0001";
const TARGET_NAME = "\u0002";
/** Prefix of a text stored as written (it holds a placeholder character itself). */
const LITERAL = "\u0003";

/** The last segment of an ARN, as edge short reasons name a target. */
function nameOf(arn: string): string {
  return arn.split(/[:/]/).pop() ?? arn;
}

function template(text: string, to: string): string {
  if (/[\u0001-\u0003]/.test(text)) return `${LITERAL}${text}`;
  let out = to ? text.split(to).join(TARGET_ARN) : text;
  const name = nameOf(to);
  // Short reasons end "→ <name>"; only that occurrence is the target's.
  if (name && out.endsWith(`→ ${name}`)) out = `${out.slice(0, -name.length)}${TARGET_NAME}`;
  return out;
}

function fill(text: string, to: string): string {
  if (text.startsWith(LITERAL)) return text.slice(1);
  return text.split(TARGET_ARN).join(to).split(TARGET_NAME).join(nameOf(to));
}

export function encodeRoleReach(reach: readonly ReachedFunction[]): StoredRoleReach {
  const nodes: string[] = [];
  const nodeIndex = new Map<string, number>();
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const steps: StoredRoleReach["steps"] = [];
  const stepIndex = new Map<string, number>();
  const node = (id: string) => {
    let i = nodeIndex.get(id);
    if (i === undefined) nodeIndex.set(id, (i = nodes.push(id) - 1));
    return i;
  };
  const text = (t: string) => {
    let i = textIndex.get(t);
    if (i === undefined) textIndex.set(t, (i = texts.push(t) - 1));
    return i;
  };
  // The walk's paths share their prefixes, edge objects and all (lib/analysis/graph/reach.ts): an
  // edge after a given step is encoded once, not once per function reached through it.
  const stepAfter = new Map<Edge, Map<number, number>>();
  const entries: StoredRoleReach["entries"] = reach.map((r) => {
    let parent = -1;
    for (const e of r.path) {
      let byParent = stepAfter.get(e);
      if (!byParent) stepAfter.set(e, (byParent = new Map()));
      let i = byParent.get(parent);
      if (i === undefined) {
        const row: StoredRoleReach["steps"][number] = [
          node(e.from),
          node(e.to),
          text(e.kind),
          e.via === undefined ? -1 : text(e.via),
          e.conditional ? 1 : 0,
          text(template(e.reason, e.to)),
          text(template(e.shortReason, e.to)),
          parent,
        ];
        const key = row.join(",");
        i = stepIndex.get(key);
        if (i === undefined) stepIndex.set(key, (i = steps.push(row) - 1));
        byParent.set(parent, i);
      }
      parent = i;
    }
    return [node(r.arn), r.hops, parent];
  });
  return { v: 1, nodes, texts, steps, entries };
}

/** Decodes and checks the stored form (its first `limit` entries); a malformed value throws naming `where` (the role). */
export function decodeRoleReach(value: unknown, where: string, limit = Number.POSITIVE_INFINITY): ReachedFunction[] {
  const bad = (what: string): never => {
    throw new Error(`Stored reach of ${where} is malformed: ${what}.`);
  };
  // Scans stored before this codec kept the plain list: read it as it is, checked.
  if (Array.isArray(value)) return value.slice(0, limit).map((entry, n) => plainEntry(entry, n, bad));
  const v = value as Partial<StoredRoleReach> | null;
  if (!v || v.v !== 1 || !Array.isArray(v.nodes) || !Array.isArray(v.texts) || !Array.isArray(v.steps) || !Array.isArray(v.entries)) return bad("not a version 1 reach");
  const { nodes, texts, steps } = v as StoredRoleReach;
  const at = <T>(list: T[], i: number, what: string): T => (Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : bad(`${what} ${i} out of range`));
  const edges: Edge[] = [];
  const edgeOf = (i: number): Edge => {
    if (edges[i]) return edges[i];
    const s = at(steps, i, "step");
    if (!Array.isArray(s) || s.length !== 8) return bad(`step ${i}`);
    const to = at(nodes, s[1], "node");
    const edge: Edge = {
      from: at(nodes, s[0], "node"),
      to,
      kind: at(texts, s[2], "text") as EdgeKind,
      ...(s[3] === -1 ? {} : { via: at(texts, s[3], "text") }),
      reason: fill(at(texts, s[5], "text"), to),
      shortReason: fill(at(texts, s[6], "text"), to),
      conditional: s[4] === 1,
    };
    return (edges[i] = edge);
  };
  return (v.entries as StoredRoleReach["entries"]).slice(0, limit).map((entry, n) => {
    if (!Array.isArray(entry) || entry.length !== 3) return bad(`entry ${n}`);
    const path: Edge[] = [];
    // Parents come before children (encoding order), so the chain ends.
    for (let i = entry[2], guard = 0; i !== -1; i = at(steps, i, "step")[7], guard++) {
      if (guard > steps.length) return bad(`entry ${n} loops`);
      path.push(edgeOf(i));
    }
    path.reverse();
    return { arn: at(nodes, entry[0], "node"), hops: entry[1], path };
  });
}

function plainEntry(entry: unknown, n: number, bad: (what: string) => never): ReachedFunction {
  const r = entry as Partial<ReachedFunction> | null;
  const isEdge = (e: unknown) => {
    const x = e as Partial<Edge> | null;
    return !!x && typeof x.from === "string" && typeof x.to === "string" && typeof x.kind === "string" && typeof x.reason === "string" && typeof x.shortReason === "string";
  };
  if (!r || typeof r.arn !== "string" || typeof r.hops !== "number" || !Array.isArray(r.path) || !r.path.every(isEdge)) return bad(`entry ${n}`);
  return r as ReachedFunction;
}
