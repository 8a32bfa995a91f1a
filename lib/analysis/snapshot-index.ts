import type {
  Account,
  LambdaFunction,
  ManagedPolicy,
  Role,
  ServiceControlPolicy,
  Snapshot,
  EventSourceMapping,
  User,
} from "@/lib/snapshot/types";

/** Lookups over a snapshot, built once per analysis. */
export interface SnapshotIndex {
  snapshot: Snapshot;
  accountsById: Map<string, Account>;
  /** Role ARN → role. */
  roles: Map<string, Role>;
  /** IAM users by ARN (escalation targets). */
  users: Map<string, User>;
  /** Managed policy ARN → policy (customer-managed per account, AWS-managed shared). */
  managedPolicies: Map<string, ManagedPolicy>;
  /** Function ARN → function. */
  functions: Map<string, LambdaFunction>;
  /** Role ARN → functions executing as it. */
  functionsByRole: Map<string, LambdaFunction[]>;
  /** Function ARN → its event source mappings. */
  mappingsByFunction: Map<string, EventSourceMapping[]>;
  /** Event source ARN → mappings that read from it. */
  mappingsBySource: Map<string, EventSourceMapping[]>;
  /** Account id → the SCP levels above it, root first, each level's attached SCPs. Empty for the management account and outside an org. */
  scpChain: Map<string, { targetId: string; policies: ServiceControlPolicy[] }[]>;
  /** Account ids in the organization (or the snapshot's accounts when there is none). */
  orgAccountIds: Set<string>;
  organizationId: string | null;
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  const accountsById = new Map<string, Account>();
  const roles = new Map<string, Role>();
  const users = new Map<string, User>();
  const managedPolicies = new Map<string, ManagedPolicy>();
  const functions = new Map<string, LambdaFunction>();
  const functionsByRole = new Map<string, LambdaFunction[]>();
  const mappingsByFunction = new Map<string, EventSourceMapping[]>();
  const mappingsBySource = new Map<string, EventSourceMapping[]>();

  for (const account of snapshot.accounts) {
    accountsById.set(account.accountId, account);
    for (const role of account.roles) roles.set(role.arn, role);
    for (const user of account.users) users.set(user.arn, user);
    for (const policy of account.managedPolicies) managedPolicies.set(policy.arn, policy);
    for (const fn of account.functions) {
      functions.set(fn.arn, fn);
      push(functionsByRole, fn.roleArn, fn);
    }
    for (const mapping of account.eventSourceMappings) {
      push(mappingsByFunction, mapping.functionArn, mapping);
      if (mapping.eventSourceArn) push(mappingsBySource, mapping.eventSourceArn, mapping);
    }
  }

  const org = snapshot.organization;
  const scpChain = new Map<string, { targetId: string; policies: ServiceControlPolicy[] }[]>();
  const orgAccountIds = new Set<string>();
  if (org) {
    const scpsById = new Map(org.scps.map((p) => [p.id, p]));
    for (const member of org.members) orgAccountIds.add(member.id);
    for (const member of org.members) {
      // The management account is not subject to SCPs.
      if (member.id === org.managementAccountId) {
        scpChain.set(member.id, []);
        continue;
      }
      const path: string[] = [];
      let current: string | undefined = member.id;
      const seen = new Set<string>();
      while (current && !seen.has(current)) {
        seen.add(current);
        path.unshift(current);
        current = org.parents[current];
      }
      scpChain.set(
        member.id,
        path.map((targetId) => ({
          targetId,
          policies: (org.scpTargets[targetId] ?? []).flatMap((id) => {
            const scp = scpsById.get(id);
            return scp ? [scp] : [];
          }),
        })),
      );
    }
  } else {
    for (const account of snapshot.accounts) orgAccountIds.add(account.accountId);
  }

  return {
    snapshot,
    accountsById,
    roles,
    users,
    managedPolicies,
    functions,
    functionsByRole,
    mappingsByFunction,
    mappingsBySource,
    scpChain,
    orgAccountIds,
    organizationId: org?.id ?? null,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
