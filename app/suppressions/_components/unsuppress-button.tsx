"use client";

import { useActionState } from "react";
import { unsuppressFromRegisterAction, type UnsuppressState } from "../actions";

/** One row's Unsuppress button; an error (already removed) shows beside it. */
export function UnsuppressButton({ fingerprint, label }: { fingerprint: string; label: string }) {
  const [state, action, pending] = useActionState<UnsuppressState, FormData>(unsuppressFromRegisterAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="fingerprint" value={fingerprint} />
      <button type="submit" className="secondary small" disabled={pending} aria-label={`Unsuppress ${label}`}>
        {pending ? "Unsuppressing…" : "Unsuppress"}
      </button>
      {state.error ? (
        <span className="error-text" role="alert">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
