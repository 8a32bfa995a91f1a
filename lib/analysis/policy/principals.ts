/**
 * Reading a policy's Principal element, the one place: who it names, whether that is everyone,
 * and which account a principal belongs to or names as a whole. Every partition (`aws`,
 * `aws-cn`, `aws-us-gov`) reads alike.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import type { PrincipalElement } from "@/lib/snapshot/types";

type PrincipalKind = "AWS" | "Service" | "Federated" | "CanonicalUser";

/** The values of one kind of principal (`AWS`, `Service`, …), as a list; `"*"` for `Principal: "*"`. */
export function principalsOf(element: PrincipalElement | undefined, kind: PrincipalKind): string[] {
  if (element === undefined) return [];
  if (element === "*") return ["*"];
  const value = (element as Partial<Record<PrincipalKind, string | string[]>>)[kind];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Does the element let everyone in (`"*"`, `{"AWS": "*"}`, `{"CanonicalUser": "*"}`)? */
export function admitsEveryone(element: PrincipalElement | undefined): boolean {
  if (element === undefined) return false;
  if (element === "*") return true;
  return principalsOf(element, "AWS").includes("*") || principalsOf(element, "CanonicalUser").includes("*");
}

/** The account an AWS principal belongs to (`123456789012`, `arn:…:iam::123456789012:root|role/x`, `arn:…:sts::…`); null for `*`. */
export function principalAccount(principal: string): string | null {
  if (/^\d{12}$/.test(principal)) return principal;
  const m = /^arn:aws(?:-[a-z]+)*:(?:iam|sts)::(\d{12}):/.exec(principal);
  return m ? m[1] : null;
}

/** The account an AWS principal names as a whole (a bare account id or its `:root`), else null. */
export function wholeAccountPrincipal(principal: string): string | null {
  if (/^\d{12}$/.test(principal)) return principal;
  const m = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):root$/.exec(principal);
  return m ? m[1] : null;
}
