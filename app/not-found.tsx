import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return <SegmentNotFound active="/" title="Page not found" message="That page does not exist." back="/functions" backLabel="Back to functions" />;
}
