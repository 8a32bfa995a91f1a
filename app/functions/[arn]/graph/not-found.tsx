import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/functions" title="Function not found" message="No function with that ARN in this scan, so no graph." back="/functions" backLabel="Back to functions" />;
}
