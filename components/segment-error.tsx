"use client";

/** A segment's error boundary body: says what could not be loaded and offers a retry. */
export function SegmentError({ noun, error, reset }: { noun: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <div className="error-box" role="alert">
        <strong>The {noun} could not be loaded.</strong> {error.message}
        {error.digest ? <span className="muted"> (ref {error.digest})</span> : null}
      </div>
      <p>
        <button onClick={reset}>Try again</button>
      </p>
    </main>
  );
}
