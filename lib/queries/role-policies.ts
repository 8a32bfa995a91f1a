/**
 * A role's policies as pages show them (inline, attached managed, boundary), each with the
 * statements some finding cites, for highlighting. The function page and the role page both
 * read them here, so a statement is highlighted the same way on both.
 */
import { attachedPolicyKind } from "@/lib/snapshot/aws-managed-policy-arn";
import type { PolicyDocument } from "@/lib/snapshot/types";
import type { StatementRef } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec } from "@/lib/store/codecs/policy-document";
import { attachedPolicyArnsCodec } from "@/lib/store/codecs/string-list";
import { accountRowsScanId } from "@/lib/store/shared-rows";

export interface PolicyView {
  name: string;
  arn: string | null;
  kind: "inline" | "customer-managed" | "aws-managed" | "boundary";
  document: PolicyDocument | null;
  /** Statement indexes some finding cites (highlighted). */
  flaggedStatements: number[];
}

/** The stored role columns this needs. */
export interface StoredRolePolicies {
  /** Named in the error when a stored column does not fit its shape. */
  arn?: string;
  inlinePolicies: unknown;
  attachedPolicyArns: unknown;
  permissionsBoundaryArn: string | null;
}

/** The statement indexes of one policy that the cited statements point at. */
export function flaggedIn(cited: StatementRef[], kind: PolicyView["kind"], name: string): number[] {
  return [...new Set(cited.filter((s) => s.policyName === name && s.kind === kind).map((s) => s.statementIndex))].sort((a, b) => a - b);
}

/** The role's inline, attached and boundary policies, with the statements `cited` (by findings) flagged. */
export async function rolePolicyViews(db: Database, scanId: number, accountId: string, role: StoredRolePolicies | null, cited: StatementRef[]): Promise<PolicyView[]> {
  const roleRef = { scanId, key: role?.arn ?? null };
  const attached = role ? attachedPolicyArnsCodec.decode(role.attachedPolicyArns, roleRef) : [];
  const boundaryArn = role?.permissionsBoundaryArn ?? null;
  const managedArns = [...attached, ...(boundaryArn ? [boundaryArn] : [])];
  // Where the account's rows are (an earlier scan's when its analysis was reused, shared-rows.ts).
  const managed = managedArns.length ? await db.prisma.managedPolicy.findMany({ where: { scanId: await accountRowsScanId(db, scanId, accountId), accountId, arn: { in: managedArns } } }) : [];
  const managedByArn = new Map(managed.map((p) => [p.arn, p]));
  const view = (policyArn: string, kind: PolicyView["kind"]): PolicyView => {
    const p = managedByArn.get(policyArn);
    const name = p?.name ?? policyArn.split("/").pop() ?? policyArn;
    return { name, arn: policyArn, kind, document: p ? managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) : null, flaggedStatements: flaggedIn(cited, kind, name) };
  };
  return [
    ...(role ? inlinePoliciesCodec.decode(role.inlinePolicies, roleRef) : []).map((p) => ({ name: p.name, arn: null, kind: "inline" as const, document: p.document, flaggedStatements: flaggedIn(cited, "inline", p.name) })),
    ...attached.map((a) => view(a, attachedPolicyKind(a))),
    ...(boundaryArn ? [view(boundaryArn, "boundary")] : []),
  ];
}
