"use client";

import { useState } from "react";
import type { RecommendedPolicy } from "@/lib/analysis/types";
import { CopyButton } from "./copy-button";

/**
 * `sharedWith`: the role's other functions; the policy is the role's and covers them all.
 * `onRolePage`: shown on the role's own page, which lists the functions itself.
 */
export function RecommendedPolicyPanel({ policy, sharedWith = [], onRolePage = false }: { policy: RecommendedPolicy; sharedWith?: { arn: string; name: string }[]; onRolePage?: boolean }) {
  const [tab, setTab] = useState<"policy" | "diff" | "notes">("policy");
  const text = JSON.stringify(policy.document, null, 2);
  return (
    <div>
      {policy.confidence === "configuration-only" ? (
        <p className="panel warning" role="note" data-testid="recommendation-warning">
          No usage data for this role: the policy keeps only what {onRolePage || sharedWith.length > 0 ? "its functions' configurations show they need" : "the function's configuration shows it needs"}. Review it against what
          the code calls before applying, or rescan with last-accessed data (<code>--last-accessed</code>).
        </p>
      ) : null}
      {sharedWith.length > 0 && !onRolePage ? (
        <p className="panel notice" role="note" data-testid="shared-role-note">
          This role is shared by {sharedWith.length + 1} functions; the policy covers all of them (this one and {sharedWith.slice(0, 5).map((f) => f.name).join(", ")}
          {sharedWith.length > 5 ? ", …" : ""}). It is the same recommendation on each of their pages.
        </p>
      ) : null}
      <div className="tabs" role="tablist">
        {(["policy", "diff", "notes"] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? "tab active" : "tab"} onClick={() => setTab(t)}>
            {t === "policy" ? "Policy" : t === "diff" ? "Diff against current" : `Notes (${policy.notes.length})`}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted">
          confidence: <strong>{policy.confidence === "usage-data" ? "usage data" : "configuration only"}</strong> · drops {policy.removedActionCount.toLocaleString("en-US")} actions
        </span>
        <CopyButton text={text} label="Copy policy" />
      </div>
      {tab === "policy" ? (
        <pre className="json tall" aria-label="Recommended policy">
          {text}
        </pre>
      ) : null}
      {tab === "diff" ? (
        <pre className="json tall diff" aria-label="Policy diff">
          {policy.diff.split("\n").map((line, i) => (
            <span key={i} className={`line${line.startsWith("+") && !line.startsWith("+++") ? " add" : line.startsWith("-") && !line.startsWith("---") ? " del" : ""}`}>
              {line || " "}
            </span>
          ))}
        </pre>
      ) : null}
      {tab === "notes" ? (
        <ul className="notes">
          {policy.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
