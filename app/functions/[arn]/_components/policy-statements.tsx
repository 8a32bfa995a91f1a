import type { PolicyDocument } from "@/lib/snapshot/types";

/** A policy document, one statement at a time, so statements that cause findings stand out. */
export function PolicyStatements({ document, flagged }: { document: PolicyDocument | null; flagged: number[] }) {
  if (!document) return <p className="muted">Document not available in this snapshot.</p>;
  return (
    <div className="statements">
      {document.Statement.map((statement, i) => (
        <pre key={i} className={`json statement${flagged.includes(i) ? " flagged" : ""}`} title={flagged.includes(i) ? "A finding cites this statement" : undefined} tabIndex={0}>
          {flagged.includes(i) ? <span className="flag">⚑ cited by a finding · </span> : null}
          <span className="muted">#{i}</span>
          {"\n"}
          {JSON.stringify(statement, null, 2)}
        </pre>
      ))}
    </div>
  );
}
