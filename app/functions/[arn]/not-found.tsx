import Link from "next/link";
import { TopBar } from "@/components/top-bar";

export default function FunctionNotFound() {
  return (
    <>
      <TopBar active="/functions" />
      <main className="page">
        <div className="panel empty">
          <h1>Function not found</h1>
          <p>
            No function with that ARN in this scan. <Link href="/functions">Back to functions</Link>
          </p>
        </div>
      </main>
    </>
  );
}
