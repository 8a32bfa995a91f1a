import { TopBar } from "@/components/top-bar";

export default function Loading() {
  return (
    <>
      <TopBar active="/" />
      <main className="page">
        <div className="panel empty" aria-busy="true">Loading overview…</div>
      </main>
    </>
  );
}
