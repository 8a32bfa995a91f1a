/**
 * The escalation checkers, one per method family. The methods themselves (required actions,
 * sources, catalogue ids) are data in ../methods.ts; a checker says which targets its family
 * tries and how it judges them.
 */
import type { EscalationChecker } from "../context";
import type { EscalationKind } from "../methods";
import { ownRolePolicyChecker } from "./own-role-policy";
import { otherRolePolicyChecker } from "./other-role-policy";
import { otherManagedPolicyChecker } from "./other-managed-policy";
import { roleTrustAndPolicyChecker } from "./role-trust-and-policy";
import { ownManagedPolicyChecker } from "./own-managed-policy";
import { ownBoundaryChecker } from "./own-boundary";
import { roleTrustChecker } from "./role-trust";
import { assumeRoleChecker } from "./assume-role";
import { passRoleChecker } from "./pass-role";
import { functionRoleSwapChecker } from "./function-role-swap";
import { updateFunctionChecker } from "./update-function";
import { userCredentialsChecker } from "./user-credentials";
import { userPolicyChecker } from "./user-policy";
import { groupChecker } from "./group";
import { existingResourceChecker } from "./existing-resource";

export const CHECKERS: Record<EscalationKind, EscalationChecker> = {
  "own-role-policy": ownRolePolicyChecker,
  "other-role-policy": otherRolePolicyChecker,
  "other-managed-policy": otherManagedPolicyChecker,
  "role-trust-and-policy": roleTrustAndPolicyChecker,
  "own-managed-policy": ownManagedPolicyChecker,
  "own-boundary": ownBoundaryChecker,
  "role-trust": roleTrustChecker,
  "assume-role": assumeRoleChecker,
  "pass-role": passRoleChecker,
  "function-role-swap": functionRoleSwapChecker,
  "update-function": updateFunctionChecker,
  "user-credentials": userCredentialsChecker,
  "user-policy": userPolicyChecker,
  "group": groupChecker,
  "existing-resource": existingResourceChecker,
};

/** What each family checks a target for: listed by `saltzer rules --escalation`. */
export const TARGET_TESTS = Object.fromEntries(Object.values(CHECKERS).map((c) => [c.kind, c.targetTest])) as Record<EscalationKind, string>;
