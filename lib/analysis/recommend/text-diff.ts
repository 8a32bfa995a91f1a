/**
 * A small line diff (longest common subsequence) printed as a unified diff, enough to show a
 * current policy against its recommendation. Not a general-purpose diff: no move detection,
 * and inputs whose changed middle exceeds `MAX_CELLS` are shown as a full replacement.
 */

/** One line of an edit script: kept (` `), removed (`-`) or added (`+`). */
export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

const MAX_CELLS = 25_000_000;

/** The edit script turning `a` into `b`, line by line. */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: DiffLine[] = a.slice(0, start).map((text) => ({ op: " ", text }));
  const tail: DiffLine[] = a.slice(endA).map((text) => ({ op: " ", text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  return [...head, ...diffMiddle(midA, midB), ...tail];
}

function diffMiddle(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((text) => ({ op: "-" as const, text })), ...b.map((text) => ({ op: "+" as const, text }))];
  }
  // lcs[i][j] = length of the LCS of a[i..] and b[j..], stored row-major.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: " ", text: a[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push({ op: "-", text: a[i++] });
    } else {
      out.push({ op: "+", text: b[j++] });
    }
  }
  while (i < n) out.push({ op: "-", text: a[i++] });
  while (j < m) out.push({ op: "+", text: b[j++] });
  return out;
}

/** Split text into lines; a trailing newline does not make an extra empty line. */
function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Unified diff of two texts (`--- from`, `+++ to`, `@@ -l,s +l,s @@` hunks with `context`
 * lines around each change). Equal texts give only the two header lines.
 */
export function unifiedDiff(from: string, to: string, labels: { from: string; to: string }, context = 3): string {
  const script = diffLines(toLines(from), toLines(to));
  const out: string[] = [`--- ${labels.from}`, `+++ ${labels.to}`];

  // Indices of changed lines, grouped into hunks whose gaps are at most 2 × context.
  const changed: number[] = [];
  script.forEach((line, k) => {
    if (line.op !== " ") changed.push(k);
  });
  if (changed.length === 0) return out.join("\n") + "\n";

  const hunks: [number, number][] = [];
  let hunkStart = Math.max(0, changed[0] - context);
  let hunkEnd = Math.min(script.length, changed[0] + context + 1);
  for (const k of changed.slice(1)) {
    if (k - context <= hunkEnd) {
      hunkEnd = Math.min(script.length, k + context + 1);
    } else {
      hunks.push([hunkStart, hunkEnd]);
      hunkStart = Math.max(0, k - context);
      hunkEnd = Math.min(script.length, k + context + 1);
    }
  }
  hunks.push([hunkStart, hunkEnd]);

  // Line numbers (1-based) in `from` and `to` at each script position.
  const fromLine: number[] = [];
  const toLine: number[] = [];
  let fa = 1;
  let tb = 1;
  for (const line of script) {
    fromLine.push(fa);
    toLine.push(tb);
    if (line.op !== "+") fa++;
    if (line.op !== "-") tb++;
  }

  for (const [s, e] of hunks) {
    const slice = script.slice(s, e);
    const fromCount = slice.filter((l) => l.op !== "+").length;
    const toCount = slice.filter((l) => l.op !== "-").length;
    // As GNU diff prints it: an empty side starts at the line before.
    const fromStart = fromCount === 0 ? fromLine[s] - 1 : fromLine[s];
    const toStart = toCount === 0 ? toLine[s] - 1 : toLine[s];
    out.push(`@@ -${fromStart},${fromCount} +${toStart},${toCount} @@`);
    for (const line of slice) out.push(`${line.op}${line.text}`);
  }
  return out.join("\n") + "\n";
}
