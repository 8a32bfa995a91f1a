"use client";

import { useLinkStatus } from "next/link";

/**
 * Inside a `<Link>` to a page drawn whole on the server (no loading screen: the permission graph
 * arrives drawn), says the page is on its way while the navigation waits for it.
 */
export function LinkPending({ children }: { children: React.ReactNode }) {
  const { pending } = useLinkStatus();
  return (
    <>
      {children}
      <span className="link-pending" aria-live="polite">
        {pending ? " (opening…)" : ""}
      </span>
    </>
  );
}
