import type { PolicyDocument } from "@/lib/snapshot/types";

export function PolicyJson({ document }: { document: PolicyDocument | null }) {
  if (!document) return <p className="muted">Document not available in this snapshot.</p>;
  return <pre className="json">{JSON.stringify(document, null, 2)}</pre>;
}
