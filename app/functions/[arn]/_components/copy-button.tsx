"use client";

import { useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  return (
    <button
      type="button"
      className="secondary small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied("done");
        } catch {
          setCopied("failed");
        }
        setTimeout(() => setCopied("idle"), 2500);
      }}
    >
      {copied === "done" ? "Copied ✓" : copied === "failed" ? "Copy failed: select the text" : label}
    </button>
  );
}
