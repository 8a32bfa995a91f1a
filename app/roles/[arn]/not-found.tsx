import { SegmentNotFound } from "@/components/segment-states";

export default function NotFound() {
  return (
    <SegmentNotFound
      active="/roles"
      title="No such role"
      message="This role does not exist in the scan: no execution role the scan read has that ARN (check the scan number, or whether the role was renamed)."
      back="/roles"
      backLabel="Back to roles"
    />
  );
}
