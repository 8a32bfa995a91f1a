import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/scans" title="Scans not found" message="Both scans must exist and be complete." back="/scans" backLabel="Back to scans" />;
}
