import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/suppressions" title="Not found" message="Nothing here in the stored scans." back="/suppressions" backLabel="Back to suppressions" />;
}
