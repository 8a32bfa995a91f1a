import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/scans" title="Not found" message="Nothing here in the stored scans." back="/scans" backLabel="Back to scans" />;
}
