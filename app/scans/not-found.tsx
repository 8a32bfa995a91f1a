import Link from "next/link";
import { TopBar } from "@/components/top-bar";

export default function SegmentNotFound() {
  return (
    <>
      <TopBar active="/scans" />
      <main className="page">
        <div className="panel empty">
          <h1>Scans not found</h1>
          <p>
            Nothing here in the stored scans. <Link href="/scans">Back</Link>
          </p>
        </div>
      </main>
    </>
  );
}
