"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { RecommendedPolicy } from "@/lib/analysis/types";
import { CopyButton } from "./copy-button";

const TABS = ["policy", "diff", "notes"] as const;
type Tab = (typeof TABS)[number];

/** WAI-ARIA tabs keys: arrows move to the previous/next tab (wrapping), Home/End to the first/last. */
function tabAfterKey(current: Tab, key: string): Tab | null {
  const i = TABS.indexOf(current);
  if (key === "ArrowRight") return TABS[(i + 1) % TABS.length];
  if (key === "ArrowLeft") return TABS[(i - 1 + TABS.length) % TABS.length];
  if (key === "Home") return TABS[0];
  if (key === "End") return TABS[TABS.length - 1];
  return null;
}

/**
 * `sharedWith`: the role's other functions; the policy is the role's and covers them all.
 * `onRolePage`: shown on the role's own page, which lists the functions itself.
 */
export function RecommendedPolicyPanel({ policy, sharedWith = [], onRolePage = false }: { policy: RecommendedPolicy; sharedWith?: { arn: string; name: string }[]; onRolePage?: boolean }) {
  const [tab, setTab] = useState<Tab>("policy");
  const id = useId();
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  // Roving tabindex: only the chosen tab is in the Tab order; arrows choose and focus another (automatic activation).
  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const next = tabAfterKey(tab, event.key);
    if (!next) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  }
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
      <div className="tabs">
        <div role="tablist" aria-label="Recommended policy views" className="tab-list" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              key={t}
              ref={(el) => {
                tabRefs.current[t] = el;
              }}
              id={`${id}-tab-${t}`}
              type="button"
              role="tab"
              aria-selected={tab === t}
              aria-controls={`${id}-panel-${t}`}
              tabIndex={tab === t ? 0 : -1}
              className={tab === t ? "tab active" : "tab"}
              onClick={() => setTab(t)}
            >
              {t === "policy" ? "Policy" : t === "diff" ? "Diff against current" : `Notes (${policy.notes.length})`}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="muted">
          confidence: <strong>{policy.confidence === "usage-data" ? "usage data" : "configuration only"}</strong> · drops {policy.removedActionCount.toLocaleString("en-US")} actions
        </span>
        <CopyButton text={text} label="Copy policy" />
      </div>
      {/* Every panel stays in the page (hidden when not chosen), so each tab's aria-controls names a real element. */}
      <pre className="json tall" role="tabpanel" id={`${id}-panel-policy`} aria-label="Recommended policy" tabIndex={0} hidden={tab !== "policy"}>
        {text}
      </pre>
      <pre className="json tall diff" role="tabpanel" id={`${id}-panel-diff`} aria-label="Policy diff" tabIndex={0} hidden={tab !== "diff"}>
        {policy.diff.split("\n").map((line, i) => (
          <span key={i} className={`line${line.startsWith("+") && !line.startsWith("+++") ? " add" : line.startsWith("-") && !line.startsWith("---") ? " del" : ""}`}>
            {line || " "}
          </span>
        ))}
      </pre>
      <div role="tabpanel" id={`${id}-panel-notes`} aria-label="Notes" tabIndex={0} hidden={tab !== "notes"}>
        <ul className="notes">
          {policy.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
