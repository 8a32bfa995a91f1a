import { TopBar } from "@/components/top-bar";

export default function Loading() {
  return (
    <>
      <TopBar active="/roles" />
      <main className="page">
        <div className="panel empty" aria-busy="true">Loading roles…</div>
      </main>
    </>
  );
}
