import Link from "next/link";

/** The role page of an execution role (in a given scan). */
export function roleHref(arn: string, scanId?: number | null): string {
  return `/roles/${encodeURIComponent(arn)}${scanId ? `?scan=${scanId}` : ""}`;
}

/** A role name that opens its page: every page names roles through this. */
export function RoleLink({ arn, scanId, name, className }: { arn: string; scanId?: number | null; name?: string; className?: string }) {
  return (
    <Link href={roleHref(arn, scanId)} className={className} title={arn}>
      <bdi>{name ?? arn.split("/").pop() ?? arn}</bdi>
    </Link>
  );
}
