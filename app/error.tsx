"use client";

export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <div className="error-box" role="alert">
        <strong>Something went wrong.</strong> {error.message}
        {error.digest ? <span className="muted"> (ref {error.digest})</span> : null}
      </div>
      <p>
        <button onClick={reset}>Try again</button>
      </p>
    </main>
  );
}
