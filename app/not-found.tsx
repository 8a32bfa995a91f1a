import Link from "next/link";
import { TopBar } from "@/components/top-bar";

export default function NotFound() {
  return (
    <>
      <TopBar />
      <main className="page">
        <div className="panel empty">
          <h1>Not found</h1>
          <p>
            That page does not exist. <Link href="/functions">Back to functions</Link>
          </p>
        </div>
      </main>
    </>
  );
}
