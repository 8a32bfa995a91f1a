import Link from "next/link";
import { requestedScanProblem } from "@/lib/queries/scans";

/** What a page shows without a scan: none yet, or the one asked for (`?scan=N`) is missing or has no results. */
export async function NoScan({ requested }: { requested?: string }) {
  const problem = await requestedScanProblem(requested);
  if (problem) {
    return (
      <div className="panel empty" role="alert">
        <h2>{problem}</h2>
        <p>
          <Link href="/scans">See the scans</Link> or open the latest one.
        </p>
      </div>
    );
  }
  return (
    <div className="panel empty">
      <h2>No scan yet</h2>
      <p>
        Scan a snapshot with <code>npx saltzer scan --snapshot samples/acme</code>, then reload.
      </p>
    </div>
  );
}
