import { SegmentLoading } from "@/components/segment-states";

export default function Loading() {
  return <SegmentLoading active="/" noun="overview" />;
}
