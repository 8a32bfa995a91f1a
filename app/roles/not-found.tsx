import Link from "next/link";
import { TopBar } from "@/components/top-bar";

export default function SegmentNotFound() {
  return (
    <>
      <TopBar active="/roles" />
      <main className="page">
        <div className="panel empty">
          <h1>Roles not found</h1>
          <p>
            Nothing here in the stored scans. <Link href="/roles">Back</Link>
          </p>
        </div>
      </main>
    </>
  );
}
