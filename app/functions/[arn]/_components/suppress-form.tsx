"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { suppressFindingAction, type SuppressState } from "../actions";

export function SuppressForm({ fingerprint, path }: { fingerprint: string; path: string }) {
  const [open, setOpen] = useState(false);
  const [state, submit, pending] = useActionState<SuppressState, FormData>(suppressFindingAction, {});
  const errorId = useId();
  const opener = useRef<HTMLButtonElement>(null);
  const reason = useRef<HTMLInputElement>(null);
  const expiresAt = useRef<HTMLInputElement>(null);
  // The button that opened the form is gone once it is open: focus goes to the first field, not to the page body,
  // and back to the button when the form closes.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) reason.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  // A rejected field gets the cursor, with the error read out beside it.
  useEffect(() => {
    if (state.invalidField === "expiresAt") expiresAt.current?.focus();
    else if (state.invalidField === "reason") reason.current?.focus();
  }, [state]);
  if (!open) {
    return (
      <button ref={opener} type="button" className="secondary small" onClick={() => setOpen(true)}>
        Suppress…
      </button>
    );
  }
  const describedBy = state.error ? errorId : undefined;
  return (
    <form action={submit} className="suppress" aria-label="Suppress finding">
      <input type="hidden" name="fingerprint" value={fingerprint} />
      <input type="hidden" name="path" value={path} />
      <label>
        Reason
        <input
          ref={reason}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          placeholder="Accepted risk: …"
          aria-label="Suppression reason"
          // React resets a form after its action: the default brings back what the user typed.
          defaultValue={state.values?.reason ?? ""}
          aria-invalid={state.invalidField === "reason" || undefined}
          aria-describedby={state.invalidField === "reason" ? describedBy : undefined}
        />
      </label>
      <label>
        Expires (optional)
        <input
          ref={expiresAt}
          name="expiresAt"
          type="date"
          aria-label="Suppression expiry"
          defaultValue={state.values?.expiresAt ?? ""}
          aria-invalid={state.invalidField === "expiresAt" || undefined}
          aria-describedby={state.invalidField === "expiresAt" ? describedBy : undefined}
        />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Suppress"}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {state.error ? (
        <span className="error-text" role="alert" id={errorId}>
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
