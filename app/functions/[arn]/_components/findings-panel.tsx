import { Fragment } from "react";
import { SeverityBadge } from "@/components/severity-badge";
import type { FindingView } from "@/lib/queries/function-detail";
import { unsuppressFindingAction } from "../actions";
import { SuppressForm } from "./suppress-form";

export function FindingsPanel({ findings, path }: { findings: FindingView[]; path: string }) {
  if (findings.length === 0) return <p className="muted">No findings: nothing over-broad was found for this function.</p>;
  const active = findings.filter((f) => !f.suppression);
  const suppressed = findings.filter((f) => f.suppression);
  return (
    <>
      <ul className="findings">
        {byRule(active).map(({ shown, folded }) => (
          <Fragment key={shown[0].id}>
            {shown.map((f) => (
              <FindingItem key={f.id} finding={f} path={path} />
            ))}
            {folded.length > 0 ? (
              <li className="more-findings">
                <details>
                  <summary>
                    {folded.length} more &ldquo;<bdi>{shown[0].title}</bdi>&rdquo; finding{folded.length === 1 ? "" : "s"}
                  </summary>
                  <ul className="findings">
                    {folded.map((f) => (
                      <FindingItem key={f.id} finding={f} path={path} />
                    ))}
                  </ul>
                </details>
              </li>
            ) : null}
          </Fragment>
        ))}
      </ul>
      {suppressed.length > 0 ? (
        <details className="policy">
          <summary>{suppressed.length} suppressed finding(s)</summary>
          <ul className="findings">
            {suppressed.map((f) => (
              <FindingItem key={f.id} finding={f} path={path} />
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/**
 * Findings of one rule shown open; the rest of that rule's are folded under them. A role allowed `*`
 * has one data-store finding per service (49 for break-glass-ops): open, they made the page 12,000 px tall.
 */
const SHOWN_PER_RULE = 3;

/** Findings grouped by rule, in the order each rule first appears (the list's order: most severe first). */
function byRule(findings: FindingView[]): { shown: FindingView[]; folded: FindingView[] }[] {
  const groups = new Map<string, FindingView[]>();
  for (const f of findings) {
    const list = groups.get(f.ruleId);
    if (list) list.push(f);
    else groups.set(f.ruleId, [f]);
  }
  return [...groups.values()].map((list) => ({ shown: list.slice(0, SHOWN_PER_RULE), folded: list.slice(SHOWN_PER_RULE) }));
}

/** Actions listed per finding; the JSON export has them all. */
const SHOWN_ACTIONS = 12;

const URL_IN_TEXT = /(https:\/\/[^\s<>"')]+[^\s<>"').,;:])/;

/** Text with its https URLs as links (rule remediation and references cite AWS documentation). */
function LinkedText({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_IN_TEXT).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} target="_blank" rel="noreferrer noopener" className="doc-link">
            {part.replace(/^https:\/\//, "")}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

function FindingItem({ finding: f, path }: { finding: FindingView; path: string }) {
  return (
    <li className={`finding${f.suppression ? " suppressed" : ""}`} data-rule={f.ruleId} data-severity={f.severity}>
      <div className="finding-head">
        <SeverityBadge severity={f.severity} /> <strong>{f.title}</strong> <span className="badge kind">{f.category}</span>
      </div>
      <p className="why">
        <span className="muted">Why: </span>
        <bdi>{f.reason}</bdi>
      </p>
      {f.actions.length > 0 && !f.escalation ? (
        <p className="actions">
          <span className="muted">Actions: </span>
          {f.actions.slice(0, SHOWN_ACTIONS).map((a, i) => (
            <span key={a}>
              {i > 0 ? ", " : ""}
              <code>{a}</code>
            </span>
          ))}
          {f.actions.length > SHOWN_ACTIONS ? <span className="muted"> and {f.actions.length - SHOWN_ACTIONS} more</span> : null}
        </p>
      ) : null}
      {f.escalation ? (
        <ol className="steps">
          {f.escalation.steps.map((s, i) => (
            <li key={i}>
              <code>{s.action}</code> on <code>{s.resource}</code>
            </li>
          ))}
          {f.escalation.target ? (
            <li>
              ⇒ lands on <code>{f.escalation.target}</code>
              {f.escalation.targetReason ? <span className="muted"> — <bdi>{f.escalation.targetReason}</bdi></span> : null}
            </li>
          ) : null}
        </ol>
      ) : null}
      {f.remediation ? (
        <p className="fix">
          <span className="muted">Fix: </span>
          <LinkedText text={f.remediation} />
        </p>
      ) : null}
      {f.references.length > 0 ? (
        <p className="refs">
          <span className="muted">Documentation: </span>
          {f.references.map((ref, i) => (
            <span key={ref}>
              {i > 0 ? " · " : ""}
              <LinkedText text={ref} />
            </span>
          ))}
        </p>
      ) : null}
      {f.suppression ? (
        <form action={unsuppressFindingAction} className="suppressed-note">
          <input type="hidden" name="fingerprint" value={f.fingerprint} />
          <input type="hidden" name="path" value={path} />
          Suppressed by {f.suppression.createdBy}: <bdi>{f.suppression.reason}</bdi>
          {f.suppression.expiresAt ? ` (until ${f.suppression.expiresAt.slice(0, 10)})` : ""}{" "}
          <button type="submit" className="secondary small">
            Unsuppress
          </button>
        </form>
      ) : (
        <>
          {f.expiredSuppression ? (
            <p className="muted expired-note">
              A suppression ({f.expiredSuppression.reason}) expired on {f.expiredSuppression.expiresAt?.slice(0, 10)} and no longer applies.
            </p>
          ) : null}
          <SuppressForm fingerprint={f.fingerprint} path={path} />
        </>
      )}
    </li>
  );
}
