/**
 * Known privilege-escalation methods, as reviewed data. Sources: Rhino Security Labs
 * (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/), Cloudsplaining's
 * privilege-escalation list (https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/privilege-escalation.md),
 * Datadog's pathfinding.cloud catalogue (https://pathfinding.cloud) and Bishop Fox iam-vulnerable.
 *
 * `requires` lists groups of actions: every group is needed, any one action of a group will do.
 * `iam:PassRole` is implied for `pass-role` and `function-role-swap` methods and is checked
 * against each candidate role, with `iam:PassedToService` conditions evaluated.
 */
export type EscalationKind =
  /** Write the function's own role policies: PutRolePolicy / AttachRolePolicy on itself. */
  | "own-role-policy"
  /** Write the policies of another role the function can assume, then assume it. */
  | "other-role-policy"
  /** Rewrite a customer-managed policy attached to the function's own role. */
  | "own-managed-policy"
  /** Remove or replace the permission boundary that holds the role back. */
  | "own-boundary"
  /** Rewrite another role's trust policy to let the function assume it. */
  | "role-trust"
  /** Assume a more privileged role that already trusts the function. */
  | "assume-role"
  /** Pass a more privileged role to a new compute resource the attacker controls. */
  | "pass-role"
  /** Give an existing function (own or another) a more privileged role. */
  | "function-role-swap"
  /** Run attacker code inside another function that executes as a more privileged role. */
  | "update-function"
  /** Obtain credentials of an IAM user. */
  | "user-credentials"
  /** Grant a user more, then obtain its credentials. */
  | "user-policy"
  /** Put a user the attacker can log in as into a privileged group, or grant a group more. */
  | "group"
  /** Run commands on existing instances, inheriting their instance roles (targets not collected). */
  | "instance-access";

export interface EscalationMethod {
  id: string;
  title: string;
  kind: EscalationKind;
  description: string;
  requires: string[][];
  /** pass-role / function-role-swap: the service principal the passed role must trust. */
  passedToService?: string;
  references: string[];
}

const RHINO = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/";
const CLOUDSPLAINING = "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/privilege-escalation.md";
const PATHFINDING = "https://pathfinding.cloud";

export const ESCALATION_METHODS: EscalationMethod[] = [
  {
    id: "iam-put-role-policy-self",
    title: "Write an inline policy on its own role",
    kind: "own-role-policy",
    description: "iam:PutRolePolicy on the function's own role lets it grant itself any permission.",
    requires: [["iam:putrolepolicy"]],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-attach-role-policy-self",
    title: "Attach a managed policy to its own role",
    kind: "own-role-policy",
    description: "iam:AttachRolePolicy on the function's own role lets it attach AdministratorAccess.",
    requires: [["iam:attachrolepolicy"]],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-put-role-policy-assumable",
    title: "Grant a role it can assume any permission, then assume it",
    kind: "other-role-policy",
    description: "iam:PutRolePolicy or iam:AttachRolePolicy on another role whose trust policy admits the function lets it give that role anything, then become it.",
    requires: [["iam:putrolepolicy", "iam:attachrolepolicy"]],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-create-policy-version",
    title: "Create a new version of a policy attached to its role",
    kind: "own-managed-policy",
    description: "iam:CreatePolicyVersion with --set-as-default rewrites a customer-managed policy the role already has.",
    requires: [["iam:createpolicyversion"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-set-default-policy-version",
    title: "Switch a policy attached to its role to another version",
    kind: "own-managed-policy",
    description: "iam:SetDefaultPolicyVersion activates an older, possibly broader version of a policy the role has.",
    requires: [["iam:setdefaultpolicyversion"]],
    references: [RHINO, CLOUDSPLAINING],
  },
  {
    id: "iam-delete-role-permissions-boundary",
    title: "Remove its own permission boundary",
    kind: "own-boundary",
    description: "iam:DeleteRolePermissionsBoundary (or PutRolePermissionsBoundary with a looser boundary) gives back what the boundary removes.",
    requires: [["iam:deleterolepermissionsboundary", "iam:putrolepermissionsboundary"]],
    references: [PATHFINDING, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"],
  },
  {
    id: "iam-update-assume-role-policy",
    title: "Rewrite another role's trust policy, then assume it",
    kind: "role-trust",
    description: "iam:UpdateAssumeRolePolicy on a more privileged role lets the function add itself as a trusted principal.",
    requires: [["iam:updateassumerolepolicy"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "sts-assume-role",
    title: "Assume a more privileged role",
    kind: "assume-role",
    description: "sts:AssumeRole on a role whose trust policy already admits the function's role or account.",
    requires: [["sts:assumerole"]],
    references: [PATHFINDING, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html"],
  },
  {
    id: "passrole-lambda-create-invoke",
    title: "Create a function with a more privileged role and run it",
    kind: "pass-role",
    passedToService: "lambda.amazonaws.com",
    description:
      "iam:PassRole + lambda:CreateFunction, then lambda:InvokeFunction, an event source mapping, or a resource-policy permission runs attacker code as the passed role.",
    requires: [
      ["lambda:createfunction"],
      ["lambda:invokefunction", "lambda:createeventsourcemapping", "lambda:addpermission", "lambda:createfunctionurlconfig"],
    ],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-lambda-update-configuration",
    title: "Swap a function's role for a more privileged one",
    kind: "function-role-swap",
    passedToService: "lambda.amazonaws.com",
    description: "iam:PassRole + lambda:UpdateFunctionConfiguration sets a more privileged role on a function (its own included).",
    requires: [["lambda:updatefunctionconfiguration"]],
    references: [PATHFINDING],
  },
  {
    id: "lambda-update-function-code",
    title: "Replace another function's code",
    kind: "update-function",
    description:
      "lambda:UpdateFunctionCode on a function that runs as a more privileged role: the attacker's code runs with that role on the next invocation.",
    requires: [["lambda:updatefunctioncode"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "lambda-update-function-configuration-layer",
    title: "Add a malicious layer to another function",
    kind: "update-function",
    description:
      "lambda:UpdateFunctionConfiguration can attach a layer (from any account that shares it) whose code runs inside a more privileged function.",
    requires: [["lambda:updatefunctionconfiguration"]],
    references: [PATHFINDING, "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html"],
  },
  {
    id: "passrole-cloudformation-create-stack",
    title: "Create a CloudFormation stack with a more privileged role",
    kind: "pass-role",
    passedToService: "cloudformation.amazonaws.com",
    description: "iam:PassRole + cloudformation:CreateStack (or UpdateStack / change sets) deploys any resource as the passed role.",
    requires: [["cloudformation:createstack", "cloudformation:updatestack", "cloudformation:executechangeset", "cloudformation:createstackset"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-ec2-run-instances",
    title: "Launch an EC2 instance with a more privileged role",
    kind: "pass-role",
    passedToService: "ec2.amazonaws.com",
    description: "iam:PassRole + ec2:RunInstances starts an instance whose user data runs with the passed role's credentials.",
    requires: [["ec2:runinstances"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-glue-dev-endpoint",
    title: "Create a Glue development endpoint with a more privileged role",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    description: "iam:PassRole + glue:CreateDevEndpoint gives SSH access to a host holding the passed role's credentials.",
    requires: [["glue:createdevendpoint"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-glue-job",
    title: "Create and run a Glue job with a more privileged role",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    description: "iam:PassRole + glue:CreateJob + glue:StartJobRun (or CreateTrigger) runs attacker scripts as the passed role.",
    requires: [["glue:createjob"], ["glue:startjobrun", "glue:createtrigger"]],
    references: [PATHFINDING],
  },
  {
    id: "passrole-codebuild-project",
    title: "Create and run a CodeBuild project with a more privileged role",
    kind: "pass-role",
    passedToService: "codebuild.amazonaws.com",
    description: "iam:PassRole + codebuild:CreateProject + codebuild:StartBuild runs an attacker buildspec as the passed role.",
    requires: [["codebuild:createproject"], ["codebuild:startbuild", "codebuild:startbuildbatch"]],
    references: [CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-ecs-task",
    title: "Run an ECS task with a more privileged task role",
    kind: "pass-role",
    passedToService: "ecs-tasks.amazonaws.com",
    description: "iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask (or StartTask / CreateService) runs a container as the passed role.",
    requires: [["ecs:registertaskdefinition"], ["ecs:runtask", "ecs:starttask", "ecs:createservice"]],
    references: [PATHFINDING],
  },
  {
    id: "passrole-sagemaker-notebook",
    title: "Create a SageMaker notebook with a more privileged role",
    kind: "pass-role",
    passedToService: "sagemaker.amazonaws.com",
    description: "iam:PassRole + sagemaker:CreateNotebookInstance + CreatePresignedNotebookInstanceUrl opens a notebook running as the passed role.",
    requires: [["sagemaker:createnotebookinstance"], ["sagemaker:createpresignednotebookinstanceurl"]],
    references: [CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-sagemaker-job",
    title: "Run a SageMaker job with a more privileged role",
    kind: "pass-role",
    passedToService: "sagemaker.amazonaws.com",
    description: "iam:PassRole + sagemaker:CreateTrainingJob / CreateProcessingJob runs an attacker container as the passed role.",
    requires: [["sagemaker:createtrainingjob", "sagemaker:createprocessingjob"]],
    references: [PATHFINDING],
  },
  {
    id: "passrole-apprunner-service",
    title: "Create an App Runner service with a more privileged role",
    kind: "pass-role",
    passedToService: "tasks.apprunner.amazonaws.com",
    description: "iam:PassRole + apprunner:CreateService runs an attacker image with the passed instance role.",
    requires: [["apprunner:createservice"]],
    references: [PATHFINDING],
  },
  {
    id: "passrole-datapipeline",
    title: "Create a Data Pipeline with a more privileged role",
    kind: "pass-role",
    passedToService: "datapipeline.amazonaws.com",
    description: "iam:PassRole + datapipeline:CreatePipeline + PutPipelineDefinition runs shell commands as the passed role.",
    requires: [["datapipeline:createpipeline"], ["datapipeline:putpipelinedefinition"]],
    references: [RHINO, CLOUDSPLAINING],
  },
  {
    id: "iam-create-access-key",
    title: "Create an access key for an IAM user",
    kind: "user-credentials",
    description: "iam:CreateAccessKey on another user yields that user's long-lived credentials.",
    requires: [["iam:createaccesskey"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-create-login-profile",
    title: "Set a console password for an IAM user",
    kind: "user-credentials",
    description: "iam:CreateLoginProfile on a user without a password lets the attacker sign in as that user.",
    requires: [["iam:createloginprofile"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-update-login-profile",
    title: "Change an IAM user's console password",
    kind: "user-credentials",
    description: "iam:UpdateLoginProfile resets the password of a user who already has one.",
    requires: [["iam:updateloginprofile"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-put-user-policy",
    title: "Grant an IAM user more, then use its credentials",
    kind: "user-policy",
    description: "iam:PutUserPolicy / AttachUserPolicy on a user whose credentials the attacker can also create.",
    requires: [["iam:putuserpolicy", "iam:attachuserpolicy"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-add-user-to-group",
    title: "Add a usable IAM user to a privileged group",
    kind: "group",
    description: "iam:AddUserToGroup puts a user whose credentials the attacker can create into a more privileged group.",
    requires: [["iam:addusertogroup"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-put-group-policy",
    title: "Grant a group more, then use a member's credentials",
    kind: "group",
    description: "iam:PutGroupPolicy / AttachGroupPolicy on a group containing a user whose credentials the attacker can create.",
    requires: [["iam:putgrouppolicy", "iam:attachgrouppolicy"]],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "ssm-send-command",
    title: "Run commands on managed EC2 instances",
    kind: "instance-access",
    description: "ssm:SendCommand or ssm:StartSession on all instances runs commands with each instance's role (instances are not in the snapshot).",
    requires: [["ssm:sendcommand", "ssm:startsession"]],
    references: [PATHFINDING],
  },
];
