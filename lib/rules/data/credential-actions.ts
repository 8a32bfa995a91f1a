/**
 * Actions that hand out credentials or secrets, reviewed data. Sources: Cloudsplaining's
 * credentials-exposure list (https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/credentials-exposure.md)
 * and the AWS service authorization reference.
 *
 * `scope`: `any` — flagged on any resource (a function role should never mint IAM credentials);
 * `broad` — flagged only on `*`-like resources (reading one named secret is least privilege).
 */
export interface CredentialAction {
  scope: "any" | "broad";
  what: string;
}

export const CREDENTIAL_ACTIONS: Record<string, CredentialAction> = {
  "iam:createaccesskey": { scope: "any", what: "create long-lived access keys for IAM users" },
  "iam:createloginprofile": { scope: "any", what: "set console passwords for IAM users" },
  "iam:updateloginprofile": { scope: "any", what: "change console passwords of IAM users" },
  "iam:createservicespecificcredential": { scope: "any", what: "create service credentials (CodeCommit, Keyspaces) for users" },
  "iam:resetservicespecificcredential": { scope: "any", what: "reset service credentials of users" },
  "iam:uploadsshpublickey": { scope: "any", what: "register SSH keys for users" },
  "iam:uploadsigningcertificate": { scope: "any", what: "register signing certificates for users" },
  "sts:assumerole": { scope: "broad", what: "assume any role that trusts the account" },
  "sts:getfederationtoken": { scope: "broad", what: "mint federation tokens" },
  "secretsmanager:getsecretvalue": { scope: "broad", what: "read every secret" },
  "ssm:getparameter": { scope: "broad", what: "read every parameter (incl. SecureString)" },
  "ssm:getparameters": { scope: "broad", what: "read every parameter (incl. SecureString)" },
  "ssm:getparametersbypath": { scope: "broad", what: "read every parameter (incl. SecureString)" },
  "ssm:getparameterhistory": { scope: "broad", what: "read every parameter's history" },
  "ec2:getpassworddata": { scope: "broad", what: "read Windows administrator passwords" },
  "lightsail:getinstanceaccessdetails": { scope: "broad", what: "read instance SSH keys and passwords" },
  "redshift:getclustercredentials": { scope: "broad", what: "mint database credentials for Redshift clusters" },
  "redshift:getclustercredentialswithiam": { scope: "broad", what: "mint database credentials for Redshift clusters" },
  "redshift-serverless:getcredentials": { scope: "broad", what: "mint Redshift Serverless credentials" },
  "rds-db:connect": { scope: "broad", what: "log in to every IAM-auth database as any user" },
  "codeartifact:getauthorizationtoken": { scope: "broad", what: "mint CodeArtifact tokens" },
  "ec2-instance-connect:sendsshpublickey": { scope: "broad", what: "push SSH keys to instances (and read their instance-role credentials)" },
  "cognito-idp:adminsetuserpassword": { scope: "broad", what: "set passwords of user-pool users" },
  "cognito-idp:admininitiateauth": { scope: "broad", what: "log in as user-pool users" },
};
