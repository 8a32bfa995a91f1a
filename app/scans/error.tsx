"use client";

export default function SegmentError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <div className="error-box" role="alert">
        <strong>The scans could not be loaded.</strong> {error.message}
      </div>
      <p>
        <button onClick={reset}>Try again</button>
      </p>
    </main>
  );
}
