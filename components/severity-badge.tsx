import type { Severity } from "@/lib/analysis/types";

export function SeverityBadge({ severity, score }: { severity: Severity | null; score?: number | null }) {
  if (!severity) return <span className="badge sev-info">not analysed</span>;
  return (
    <span className={`badge sev-${severity}`} title={score !== undefined && score !== null ? `Risk score ${score}/100` : undefined}>
      {score !== undefined && score !== null ? `${score} ` : ""}
      {severity}
    </span>
  );
}
