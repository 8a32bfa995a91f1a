/**
 * "Is this policy AWS-managed?": the one answer, for every partition. AWS-managed policies live
 * in the reserved `aws` account of each partition: `arn:aws:iam::aws:policy/…`,
 * `arn:aws-cn:iam::aws:policy/…`, `arn:aws-us-gov:iam::aws:policy/…` (and the isolated ones).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * A leaf module (no imports) so the snapshot reader, the analysis and the queries share it.
 */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws(-[a-z]+)*:iam::aws:policy\//.test(arn);
}

/** What a policy attached to a role is, for the views: AWS-managed or the customer's own. */
export function attachedPolicyKind(arn: string): "aws-managed" | "customer-managed" {
  return isAwsManagedPolicyArn(arn) ? "aws-managed" : "customer-managed";
}
