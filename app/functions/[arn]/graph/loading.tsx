import { TopBar } from "@/components/top-bar";

export default function Loading() {
  return (
    <>
      <TopBar active="/functions" />
      <main className="page">
        <div className="panel empty" aria-busy="true">
          Loading permission graph…
        </div>
      </main>
    </>
  );
}
