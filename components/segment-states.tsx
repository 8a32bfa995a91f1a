import Link from "next/link";
import { TopBar } from "./top-bar";

/** What every route segment shows while loading, when a record is missing, and on an error. */
export function SegmentLoading({ active, noun }: { active: string; noun: string }) {
  return (
    <>
      <TopBar active={active} />
      <main className="page">
        <div className="panel empty" aria-busy="true">
          Loading {noun}…
        </div>
      </main>
    </>
  );
}

export function SegmentNotFound({ active, title, message, back = active, backLabel = "Back" }: { active: string; title: string; message: string; back?: string; backLabel?: string }) {
  return (
    <>
      <TopBar active={active} />
      <main className="page">
        <div className="panel empty">
          <h1>{title}</h1>
          <p>
            {message} <Link href={back}>{backLabel}</Link>
          </p>
        </div>
      </main>
    </>
  );
}
