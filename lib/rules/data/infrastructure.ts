/**
 * Infrastructure and defense-evasion tables, reviewed data. Sources: AWS service authorization
 * reference; Cloudsplaining "infrastructure modification" risk class
 * (https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/infrastructure-modification.md);
 * MITRE ATT&CK T1562.008 "Impair Defenses: Disable or Modify Cloud Logs".
 */

/** Services whose Write actions on `*` change the account's infrastructure. */
export const INFRASTRUCTURE_SERVICES = new Set([
  "ec2",
  "autoscaling",
  "elasticloadbalancing",
  "cloudformation",
  "lambda",
  "ecs",
  "eks",
  "ecr",
  "batch",
  "route53",
  "apigateway",
  "cloudfront",
  "states",
  "events",
  "scheduler",
  "sagemaker",
  "glue",
  "codebuild",
  "codepipeline",
  "codedeploy",
  "elasticbeanstalk",
  "ssm",
  "iam",
  "organizations",
  "account",
  "kms",
  "acm",
  "apprunner",
]);

/**
 * Actions the Lambda service itself documents for function roles, granted on `*` by AWS-managed
 * policies (AWSLambdaVPCAccessExecutionRole, AWSXRayDaemonWriteAccess): expected, never a finding.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
 */
export const EXPECTED_FUNCTION_ACTIONS = new Set([
  "ec2:createnetworkinterface",
  "ec2:deletenetworkinterface",
  "ec2:describenetworkinterfaces",
  "ec2:describesubnets",
  "ec2:assignprivateipaddresses",
  "ec2:unassignprivateipaddresses",
  "xray:puttracesegments",
  "xray:puttelemetryrecords",
]);

/** Invoking is reach, not modification: blast radius reports it. */
export const NOT_MODIFICATION = new Set(["lambda:invokefunction", "lambda:invokeasync", "lambda:invokefunctionurl"]);

/** Actions that blind defenders (delete or stop logs, trails, detectors): flagged on any resource. */
export const DEFENSE_EVASION_ACTIONS: Record<string, string> = {
  "cloudtrail:stoplogging": "stop CloudTrail",
  "cloudtrail:deletetrail": "delete trails",
  "cloudtrail:updatetrail": "redirect trails",
  "cloudtrail:puteventselectors": "stop recording events",
  "logs:deleteloggroup": "delete log groups",
  "logs:deletelogstream": "delete log streams",
  "logs:putretentionpolicy": "shorten log retention",
  "logs:deletesubscriptionfilter": "stop log forwarding",
  "guardduty:deletedetector": "delete GuardDuty",
  "guardduty:updatedetector": "disable GuardDuty",
  "guardduty:disassociatefromadministratoraccount": "detach GuardDuty from its administrator",
  "config:stopconfigurationrecorder": "stop AWS Config",
  "config:deleteconfigurationrecorder": "delete AWS Config recorders",
  "config:deletedeliverychannel": "delete AWS Config delivery",
  "securityhub:disablesecurityhub": "disable Security Hub",
  "cloudwatch:deletealarms": "delete alarms",
  "cloudwatch:disablealarmactions": "silence alarms",
  "access-analyzer:deleteanalyzer": "delete IAM Access Analyzer",
  "macie2:disablemacie": "disable Macie",
  "kms:schedulekeydeletion": "destroy KMS keys (and the data they protect)",
  "kms:disablekey": "disable KMS keys",
};
