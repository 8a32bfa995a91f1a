"use client";

import { useActionState } from "react";
import { canItAction, type CanItState } from "../actions";

export function CanItForm({ scanId, functionArn }: { scanId: number; functionArn: string }) {
  const [state, submit, pending] = useActionState<CanItState, FormData>(canItAction, {});
  return (
    <form action={submit} className="can-it" aria-label="Can it?">
      <input type="hidden" name="scanId" value={scanId} />
      <input type="hidden" name="functionArn" value={functionArn} />
      <div className="filters">
        <label>
          Action
          {/* React resets a form after its action: the defaults bring the question back, ready to edit. */}
          <input name="action" placeholder="s3:GetObject" required aria-label="Action" defaultValue={state.values?.action ?? ""} />
        </label>
        <label>
          Resource
          <input name="resource" placeholder="arn:aws:s3:::bucket/key or *" required aria-label="Resource" className="wide" defaultValue={state.values?.resource ?? ""} />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? "Evaluating…" : "Can it?"}
        </button>
      </div>
      {state.error ? (
        <p className="error-box" role="alert">
          {state.error}
        </p>
      ) : null}
      {state.result ? (
        <div className={`decision ${state.result.decision}`} role="status" aria-label="Decision">
          <strong>{state.result.decision === "allowed" ? (state.result.conditional ? "ALLOWED (conditionally)" : "ALLOWED") : "DENIED"}</strong>{" "}
          <code>{state.result.action}</code> on <code>{state.result.resource}</code>
          <p>
            <bdi>{state.result.summary}</bdi>
          </p>
          <ul className="plain">
            {state.result.allowedBy.map((a, i) => (
              <li key={`a${i}`}>
                allowed by <bdi>{a.name}</bdi>
                {a.conditions ? <code> only when {JSON.stringify(a.conditions)}</code> : null}
              </li>
            ))}
            {state.result.deniedBy.map((d, i) => (
              <li key={`d${i}`}>
                denied by <bdi>{d.name}</bdi>
                {d.reason ? (
                  <>
                    {" — "}
                    <bdi>{d.reason}</bdi>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
