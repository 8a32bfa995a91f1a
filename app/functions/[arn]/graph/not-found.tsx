import Link from "next/link";
import { TopBar } from "@/components/top-bar";

export default function GraphNotFound() {
  return (
    <>
      <TopBar active="/functions" />
      <main className="page">
        <div className="panel empty">
          <h1>Function not found</h1>
          <p>
            No function with that ARN in this scan, so there is no graph to draw. <Link href="/functions">Back to functions</Link>
          </p>
        </div>
      </main>
    </>
  );
}
