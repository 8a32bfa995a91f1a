/**
 * Resource-exposure additions and resource-policy condition tables, reviewed data.
 * Permissions-management actions come from iam-data; these are the ones it files under Write
 * that still change who can reach a resource. Source: AWS service authorization reference,
 * Cloudsplaining resource-exposure glossary
 * (https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/resource-exposure.md).
 */
export const EXTRA_EXPOSURE_ACTIONS: Record<string, string> = {
  "lambda:createfunctionurlconfig": "create unauthenticated function URLs",
  "lambda:updatefunctionurlconfig": "switch function URLs to AuthType NONE",
  "ec2:modifyimageattribute": "share AMIs publicly",
  "rds:modifydbsnapshotattribute": "share database snapshots publicly",
  "rds:modifydbclustersnapshotattribute": "share cluster snapshots publicly",
};

/**
 * Condition keys that pin a resource-policy statement to a caller: any of them, with a positive
 * operator and a value other than `*`, restricts `Principal: "*"` or a service principal.
 * `lambda:FunctionUrlAuthType` is deliberately absent: it says how a URL authenticates, not who calls.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export const RESTRICTING_CONDITION_KEYS = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "lambda:eventsourcetoken",
]);

/** For service principals, only these pin the calling resource (confused-deputy prevention). */
export const SOURCE_CONDITION_KEYS = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "lambda:eventsourcetoken",
]);

/**
 * Service principals that invoke functions without sending aws:SourceArn/aws:SourceAccount, so a
 * statement for them cannot be scoped and is not a confused-deputy finding. Reviewed list: add an
 * entry only with the AWS page that says the service sends neither key.
 */
export const CONFUSED_DEPUTY_EXCEPTIONS: Record<string, string> = {
  // Lambda@Edge replicates functions; the principal appears in trust policies, not as a caller.
  "edgelambda.amazonaws.com": "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html",
};
