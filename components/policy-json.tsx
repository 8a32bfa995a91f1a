import type { PolicyDocument } from "@/lib/snapshot/types";

/** A policy document; tabIndex so the keyboard can scroll it when it is taller than its box. */
export function PolicyJson({ document }: { document: PolicyDocument | null }) {
  if (!document) return <p className="muted">Document not available in this snapshot.</p>;
  return <pre className="json" tabIndex={0}>{JSON.stringify(document, null, 2)}</pre>;
}
