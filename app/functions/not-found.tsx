import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/functions" title="Not found" message="Nothing here in the stored scans." back="/functions" backLabel="Back to functions" />;
}
