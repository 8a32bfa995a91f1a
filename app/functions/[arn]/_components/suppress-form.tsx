"use client";

import { useActionState, useState } from "react";
import { suppressFindingAction, type SuppressState } from "../actions";

export function SuppressForm({ fingerprint, path }: { fingerprint: string; path: string }) {
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useActionState<SuppressState, FormData>(suppressFindingAction, {});
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)}>
        Suppress…
      </button>
    );
  }
  return (
    <form action={submit} className="suppress" aria-label="Suppress finding">
      <input type="hidden" name="fingerprint" value={fingerprint} />
      <input type="hidden" name="path" value={path} />
      <label>
        Reason
        <input name="reason" required minLength={3} maxLength={500} placeholder="Accepted risk: …" aria-label="Suppression reason" />
      </label>
      <label>
        Expires (optional)
        <input name="expiresAt" type="date" aria-label="Suppression expiry" />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Suppress"}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {state.error ? <span className="error-text" role="alert">{state.error}</span> : null}
    </form>
  );
}
