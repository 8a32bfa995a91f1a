"use client";

import type { FormEvent, ReactNode } from "react";

/**
 * A GET form that leaves empty fields out of the URL (`?q=&account=` would be noise in every
 * shared link). Empty fields are disabled for the submission — disabled fields are not sent — and
 * enabled again right after, so the form keeps working with the back button.
 */
export function CleanGetForm({ action, className, role, ariaLabel, children }: { action: string; className?: string; role?: string; ariaLabel?: string; children: ReactNode }) {
  const dropEmpty = (event: FormEvent<HTMLFormElement>) => {
    const fields = [...event.currentTarget.elements].filter(
      (e): e is HTMLInputElement | HTMLSelectElement => (e instanceof HTMLInputElement || e instanceof HTMLSelectElement) && e.name !== "" && !e.disabled && e.value.trim() === "",
    );
    for (const field of fields) field.disabled = true;
    setTimeout(() => {
      for (const field of fields) field.disabled = false;
    }, 0);
  };
  return (
    <form className={className} method="get" action={action} role={role} aria-label={ariaLabel} onSubmit={dropEmpty}>
      {children}
    </form>
  );
}
