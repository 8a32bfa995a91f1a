import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/roles" title="Not found" message="Nothing here in the stored scans." back="/roles" backLabel="Back to roles" />;
}
