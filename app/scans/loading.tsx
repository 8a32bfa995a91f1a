import { TopBar } from "@/components/top-bar";

export default function Loading() {
  return (
    <>
      <TopBar active="/scans" />
      <main className="page">
        <div className="panel empty" aria-busy="true">Loading scans…</div>
      </main>
    </>
  );
}
