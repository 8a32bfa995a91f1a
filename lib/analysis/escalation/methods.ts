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
  /** Rewrite a customer-managed policy attached to another role the function can assume, then assume it. */
  | "other-managed-policy"
  /** Rewrite a customer-managed policy attached to the function's own role. */
  | "own-managed-policy"
  /** Remove or replace the permission boundary that holds the role back. */
  | "own-boundary"
  /** Rewrite another role's trust policy to let the function assume it. */
  | "role-trust"
  /** Rewrite a weak role's trust policy and grant it more: both on the same role. */
  | "role-trust-and-policy"
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
  /** Take over an existing resource that runs as a role (not in a Lambda/IAM snapshot): reported as possible. */
  | "existing-resource";

export interface EscalationMethod {
  id: string;
  title: string;
  kind: EscalationKind;
  description: string;
  requires: string[][];
  /** pass-role / function-role-swap: the service principal the passed role must trust. */
  passedToService?: string;
  /** pass-role: the new resource also needs an existing one (a job, a stack set), not collected. */
  needsExisting?: string;
  /** existing-resource: the resource taken over, and the collection that would settle the path. */
  existing?: { resource: string; collection: string };
  /** pathfinding.cloud path ids this method detects. */
  catalogue: string[];
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
    catalogue: ["iam-005"],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-attach-role-policy-self",
    title: "Attach a managed policy to its own role",
    kind: "own-role-policy",
    description: "iam:AttachRolePolicy on the function's own role lets it attach AdministratorAccess.",
    requires: [["iam:attachrolepolicy"]],
    catalogue: ["iam-009"],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-put-role-policy-assumable",
    title: "Grant a role it can assume any permission, then assume it",
    kind: "other-role-policy",
    description: "iam:PutRolePolicy or iam:AttachRolePolicy on another role whose trust policy admits the function lets it give that role anything, then become it.",
    requires: [["iam:putrolepolicy", "iam:attachrolepolicy"]],
    catalogue: ["iam-014", "iam-017"],
    references: [RHINO, PATHFINDING],
  },
  {
    id: "iam-create-policy-version-assumable",
    title: "Rewrite a policy of a role it can assume, then assume it",
    kind: "other-managed-policy",
    description: "iam:CreatePolicyVersion on a customer-managed policy attached to a role whose trust policy admits the function rewrites that role's permissions.",
    requires: [["iam:createpolicyversion"]],
    catalogue: ["iam-016"],
    references: [PATHFINDING],
  },
  {
    id: "iam-create-policy-version",
    title: "Create a new version of a policy attached to its role",
    kind: "own-managed-policy",
    description: "iam:CreatePolicyVersion with --set-as-default rewrites a customer-managed policy the role already has.",
    requires: [["iam:createpolicyversion"]],
    catalogue: ["iam-001"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-set-default-policy-version",
    title: "Switch a policy attached to its role to another version",
    kind: "own-managed-policy",
    description: "iam:SetDefaultPolicyVersion activates an older, possibly broader version of a policy the role has.",
    requires: [["iam:setdefaultpolicyversion"]],
    catalogue: [],
    references: [RHINO, CLOUDSPLAINING],
  },
  {
    id: "iam-delete-role-permissions-boundary",
    title: "Remove its own permission boundary",
    kind: "own-boundary",
    description: "iam:DeleteRolePermissionsBoundary (or PutRolePermissionsBoundary with a looser boundary) gives back what the boundary removes.",
    requires: [["iam:deleterolepermissionsboundary", "iam:putrolepermissionsboundary"]],
    catalogue: [],
    references: [PATHFINDING, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"],
  },
  {
    id: "iam-update-assume-role-policy",
    title: "Rewrite another role's trust policy, then assume it",
    kind: "role-trust",
    description: "iam:UpdateAssumeRolePolicy on a more privileged role lets the function add itself as a trusted principal.",
    requires: [["iam:updateassumerolepolicy"]],
    catalogue: ["iam-012"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-update-assume-role-policy-and-write",
    title: "Rewrite a role's trust policy and grant it anything, then assume it",
    kind: "role-trust-and-policy",
    description:
      "iam:UpdateAssumeRolePolicy plus iam:PutRolePolicy / AttachRolePolicy / CreatePolicyVersion on the same role: even a weak role becomes a way in once its trust names the function and its policy allows everything.",
    requires: [["iam:updateassumerolepolicy"], ["iam:putrolepolicy", "iam:attachrolepolicy", "iam:createpolicyversion"]],
    catalogue: ["iam-019", "iam-020", "iam-021"],
    references: [PATHFINDING],
  },
  {
    id: "sts-assume-role",
    title: "Assume a more privileged role",
    kind: "assume-role",
    description:
      "sts:AssumeRole on a role whose trust policy admits the function's account, or a same-account role whose trust names the function's role itself (no identity grant needed then).",
    requires: [["sts:assumerole"]],
    catalogue: ["sts-001"],
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
    catalogue: ["lambda-001", "lambda-002", "lambda-006"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-lambda-update-configuration",
    title: "Swap a function's role for a more privileged one",
    kind: "function-role-swap",
    passedToService: "lambda.amazonaws.com",
    description: "iam:PassRole + lambda:UpdateFunctionConfiguration sets a more privileged role on a function (its own included).",
    requires: [["lambda:updatefunctionconfiguration"]],
    catalogue: [],
    references: [PATHFINDING],
  },
  {
    id: "lambda-update-function-code",
    title: "Replace another function's code",
    kind: "update-function",
    description:
      "lambda:UpdateFunctionCode on a function that runs as a more privileged role: the attacker's code runs with that role on the next invocation (or at once with lambda:InvokeFunction / AddPermission).",
    requires: [["lambda:updatefunctioncode"]],
    catalogue: ["lambda-003", "lambda-004", "lambda-005"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "lambda-update-function-configuration-layer",
    title: "Add a malicious layer to another function",
    kind: "update-function",
    description:
      "lambda:UpdateFunctionConfiguration can attach a layer (from any account that shares it) whose code runs inside a more privileged function.",
    requires: [["lambda:updatefunctionconfiguration"]],
    catalogue: [],
    references: [PATHFINDING, "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html"],
  },
  {
    id: "passrole-cloudformation-create-stack",
    title: "Create a CloudFormation stack with a more privileged role",
    kind: "pass-role",
    passedToService: "cloudformation.amazonaws.com",
    description: "iam:PassRole + cloudformation:CreateStack deploys any resource as the passed role.",
    requires: [["cloudformation:createstack"]],
    catalogue: ["cloudformation-001"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-cloudformation-stackset",
    title: "Create a CloudFormation stack set with a more privileged administration role",
    kind: "pass-role",
    passedToService: "cloudformation.amazonaws.com",
    description: "iam:PassRole + cloudformation:CreateStackSet + CreateStackInstances deploys the template as the passed role (a stack set without instances deploys nothing).",
    requires: [["cloudformation:createstackset"], ["cloudformation:createstackinstances"]],
    catalogue: ["cloudformation-003"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-cloudformation-update-stackset",
    title: "Update an existing stack set to run as a more privileged role",
    kind: "pass-role",
    passedToService: "cloudformation.amazonaws.com",
    needsExisting: "CloudFormation stack set (cloudformation:ListStackSets)",
    description: "iam:PassRole + cloudformation:UpdateStackSet gives an existing stack set a new administration role and template.",
    requires: [["cloudformation:updatestackset"]],
    catalogue: ["cloudformation-004"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-ec2-run-instances",
    title: "Launch an EC2 instance with a more privileged role",
    kind: "pass-role",
    passedToService: "ec2.amazonaws.com",
    description:
      "iam:PassRole + ec2:RunInstances (or RequestSpotInstances) starts an instance whose user data runs with the passed role, through an instance profile holding the role — an existing one, or one made with iam:CreateInstanceProfile + AddRoleToInstanceProfile.",
    requires: [["ec2:runinstances", "ec2:requestspotinstances"]],
    catalogue: ["ec2-001", "ec2-003"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-glue-dev-endpoint",
    title: "Create a Glue development endpoint with a more privileged role",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    description: "iam:PassRole + glue:CreateDevEndpoint gives SSH access to a host holding the passed role's credentials.",
    requires: [["glue:createdevendpoint"]],
    catalogue: ["glue-001"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-glue-job",
    title: "Create and run a Glue job with a more privileged role",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    description: "iam:PassRole + glue:CreateJob + glue:StartJobRun (or CreateTrigger) runs attacker scripts as the passed role.",
    requires: [["glue:createjob"], ["glue:startjobrun", "glue:createtrigger"]],
    catalogue: ["glue-003", "glue-004"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-glue-update-job",
    title: "Give an existing Glue job a more privileged role and run it",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    needsExisting: "Glue job (glue:GetJobs)",
    description: "iam:PassRole + glue:UpdateJob + glue:StartJobRun (or CreateTrigger) rewrites an existing job's role and script.",
    requires: [["glue:updatejob"], ["glue:startjobrun", "glue:createtrigger"]],
    catalogue: ["glue-005", "glue-006"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-glue-session",
    title: "Start a Glue interactive session with a more privileged role",
    kind: "pass-role",
    passedToService: "glue.amazonaws.com",
    description: "iam:PassRole + glue:CreateSession + glue:RunStatement runs attacker code in a session holding the passed role.",
    requires: [["glue:createsession"], ["glue:runstatement"]],
    catalogue: [],
    references: ["https://docs.aws.amazon.com/glue/latest/dg/interactive-sessions-gs-iam.html"],
  },
  {
    id: "passrole-codebuild-project",
    title: "Create and run a CodeBuild project with a more privileged role",
    kind: "pass-role",
    passedToService: "codebuild.amazonaws.com",
    description: "iam:PassRole + codebuild:CreateProject + codebuild:StartBuild (or StartBuildBatch) runs an attacker buildspec as the passed role.",
    requires: [["codebuild:createproject"], ["codebuild:startbuild", "codebuild:startbuildbatch"]],
    catalogue: ["codebuild-001", "codebuild-004"],
    references: [CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-ecs-task",
    title: "Run an ECS task with a more privileged task role",
    kind: "pass-role",
    passedToService: "ecs-tasks.amazonaws.com",
    description:
      "iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask (or StartTask / CreateService) runs a container as the passed role (on an existing cluster, or one made with ecs:CreateCluster).",
    requires: [["ecs:registertaskdefinition"], ["ecs:runtask", "ecs:starttask", "ecs:createservice"]],
    catalogue: ["ecs-001", "ecs-002", "ecs-003", "ecs-004", "ecs-005"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-sagemaker-notebook",
    title: "Create a SageMaker notebook with a more privileged role",
    kind: "pass-role",
    passedToService: "sagemaker.amazonaws.com",
    description: "iam:PassRole + sagemaker:CreateNotebookInstance + CreatePresignedNotebookInstanceUrl opens a notebook running as the passed role.",
    requires: [["sagemaker:createnotebookinstance"], ["sagemaker:createpresignednotebookinstanceurl"]],
    catalogue: ["sagemaker-001"],
    references: [CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-sagemaker-job",
    title: "Run a SageMaker training or processing job with a more privileged role",
    kind: "pass-role",
    passedToService: "sagemaker.amazonaws.com",
    description: "iam:PassRole + sagemaker:CreateTrainingJob / CreateProcessingJob runs an attacker container as the passed role.",
    requires: [["sagemaker:createtrainingjob", "sagemaker:createprocessingjob"]],
    catalogue: ["sagemaker-002", "sagemaker-003"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-apprunner-service",
    title: "Create an App Runner service with a more privileged role",
    kind: "pass-role",
    passedToService: "tasks.apprunner.amazonaws.com",
    description: "iam:PassRole + apprunner:CreateService runs an attacker image with the passed instance role.",
    requires: [["apprunner:createservice"]],
    catalogue: ["apprunner-001"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-datapipeline",
    title: "Create and activate a Data Pipeline with a more privileged role",
    kind: "pass-role",
    passedToService: "datapipeline.amazonaws.com",
    description: "iam:PassRole + datapipeline:CreatePipeline + PutPipelineDefinition + ActivatePipeline runs shell commands as the passed role.",
    requires: [["datapipeline:createpipeline"], ["datapipeline:putpipelinedefinition"], ["datapipeline:activatepipeline"]],
    catalogue: ["datapipeline-001"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "passrole-bedrock-agentcore-code-interpreter",
    title: "Create a Bedrock AgentCore code interpreter with a more privileged role",
    kind: "pass-role",
    passedToService: "bedrock-agentcore.amazonaws.com",
    description:
      "iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + StartCodeInterpreterSession + InvokeCodeInterpreter runs attacker code as the passed execution role.",
    requires: [
      ["bedrock-agentcore:createcodeinterpreter"],
      ["bedrock-agentcore:startcodeinterpretersession"],
      ["bedrock-agentcore:invokecodeinterpreter"],
    ],
    catalogue: ["bedrock-001"],
    references: [PATHFINDING],
  },
  {
    id: "passrole-ssm-automation",
    title: "Run an SSM Automation document as a more privileged role",
    kind: "pass-role",
    passedToService: "ssm.amazonaws.com",
    description: "iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution runs an attacker automation (aws:executeScript) as the passed AutomationAssumeRole.",
    requires: [["ssm:createdocument"], ["ssm:startautomationexecution"]],
    catalogue: [],
    references: ["https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-setup.html"],
  },
  {
    id: "iam-create-access-key",
    title: "Create an access key for an IAM user",
    kind: "user-credentials",
    description: "iam:CreateAccessKey on another user yields that user's long-lived credentials (iam:DeleteAccessKey frees a slot when the user has two).",
    requires: [["iam:createaccesskey"]],
    catalogue: ["iam-002", "iam-003"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-create-login-profile",
    title: "Set a console password for an IAM user",
    kind: "user-credentials",
    description: "iam:CreateLoginProfile on a user without a password lets the attacker sign in as that user.",
    requires: [["iam:createloginprofile"]],
    catalogue: ["iam-004"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-update-login-profile",
    title: "Change an IAM user's console password",
    kind: "user-credentials",
    description: "iam:UpdateLoginProfile resets the password of a user who already has one.",
    requires: [["iam:updateloginprofile"]],
    catalogue: ["iam-006"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-put-user-policy",
    title: "Grant an IAM user more, then use its credentials",
    kind: "user-policy",
    description: "iam:PutUserPolicy / AttachUserPolicy on a user whose credentials the attacker can also create; the user's boundary still applies.",
    requires: [["iam:putuserpolicy", "iam:attachuserpolicy"]],
    catalogue: ["iam-007", "iam-008", "iam-015", "iam-018"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-add-user-to-group",
    title: "Add a usable IAM user to a privileged group",
    kind: "group",
    description: "iam:AddUserToGroup puts a user whose credentials the attacker can create into a more privileged group.",
    requires: [["iam:addusertogroup"]],
    catalogue: ["iam-013"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  {
    id: "iam-put-group-policy",
    title: "Grant a group more, then use a member's credentials",
    kind: "group",
    description: "iam:PutGroupPolicy / AttachGroupPolicy on a group containing a user whose credentials the attacker can create; the member's boundary still applies.",
    requires: [["iam:putgrouppolicy", "iam:attachgrouppolicy"]],
    catalogue: ["iam-010", "iam-011"],
    references: [RHINO, CLOUDSPLAINING, PATHFINDING],
  },
  // ---- existing resources a Lambda/IAM snapshot does not contain: reported as possible
  existing("ssm-send-command", "Run commands on managed EC2 instances", "ssm:SendCommand or ssm:StartSession runs commands with each instance's role.", [["ssm:sendcommand", "ssm:startsession"]], "SSM-managed EC2 instance", "ec2:DescribeInstances + ssm:DescribeInstanceInformation", ["ssm-001", "ssm-002"]),
  existing("ec2-instance-connect", "Log in to an EC2 instance with EC2 Instance Connect", "ec2-instance-connect:SendSSHPublicKey pushes a key to an instance, whose role the attacker then uses.", [["ec2-instance-connect:sendsshpublickey"]], "EC2 instance", "ec2:DescribeInstances", ["ec2instanceconnect-003"]),
  existing("ec2-modify-user-data", "Rewrite an EC2 instance's user data and restart it", "ec2:ModifyInstanceAttribute + StopInstances + StartInstances runs new user data with the instance's role.", [["ec2:modifyinstanceattribute"], ["ec2:stopinstances"], ["ec2:startinstances"]], "EC2 instance", "ec2:DescribeInstances", ["ec2-002"]),
  existing("ec2-launch-template", "Rewrite a launch template used with a stronger role", "ec2:CreateLaunchTemplateVersion + ModifyLaunchTemplate makes new instances of an existing template run attacker user data.", [["ec2:createlaunchtemplateversion"], ["ec2:modifylaunchtemplate"]], "EC2 launch template", "ec2:DescribeLaunchTemplates", ["ec2-004"]),
  existing("codebuild-start-build", "Run an existing CodeBuild project with a buildspec override", "codebuild:StartBuild / StartBuildBatch with a buildspec override runs attacker commands as the project's service role.", [["codebuild:startbuild", "codebuild:startbuildbatch"]], "CodeBuild project", "codebuild:ListProjects + BatchGetProjects", ["codebuild-002", "codebuild-003"]),
  existing("glue-update-dev-endpoint", "Add an SSH key to an existing Glue development endpoint", "glue:UpdateDevEndpoint adds the attacker's key to an endpoint holding its role.", [["glue:updatedevendpoint"]], "Glue development endpoint", "glue:GetDevEndpoints", ["glue-002"]),
  existing("cloudformation-update-stack", "Update an existing stack that runs with a service role", "cloudformation:UpdateStack deploys attacker resources as the stack's service role.", [["cloudformation:updatestack"]], "CloudFormation stack with a service role", "cloudformation:DescribeStacks", ["cloudformation-002"]),
  existing("cloudformation-change-set", "Change an existing stack that runs with a service role through a change set", "cloudformation:CreateChangeSet + ExecuteChangeSet deploys attacker resources as the stack's service role.", [["cloudformation:createchangeset"], ["cloudformation:executechangeset"]], "CloudFormation stack with a service role", "cloudformation:DescribeStacks", ["cloudformation-005"]),
  existing("sagemaker-presigned-notebook-url", "Open an existing SageMaker notebook", "sagemaker:CreatePresignedNotebookInstanceUrl opens a running notebook with its role.", [["sagemaker:createpresignednotebookinstanceurl"]], "SageMaker notebook instance", "sagemaker:ListNotebookInstances", ["sagemaker-004"]),
  existing("sagemaker-notebook-lifecycle", "Give an existing SageMaker notebook a malicious lifecycle configuration", "sagemaker:CreateNotebookInstanceLifecycleConfig + Stop/Update/StartNotebookInstance runs a script as the notebook's role.", [["sagemaker:createnotebookinstancelifecycleconfig"], ["sagemaker:stopnotebookinstance"], ["sagemaker:updatenotebookinstance"], ["sagemaker:startnotebookinstance"]], "SageMaker notebook instance", "sagemaker:ListNotebookInstances", ["sagemaker-005"]),
  existing("apprunner-update-service", "Update an existing App Runner service", "apprunner:UpdateService changes the image or start command of a service running with its instance role.", [["apprunner:updateservice"]], "App Runner service", "apprunner:ListServices + DescribeService", ["apprunner-002"]),
  existing("bedrock-agentcore-existing-interpreter", "Run code in an existing Bedrock AgentCore code interpreter", "bedrock-agentcore:StartCodeInterpreterSession + InvokeCodeInterpreter runs code as the interpreter's execution role.", [["bedrock-agentcore:startcodeinterpretersession"], ["bedrock-agentcore:invokecodeinterpreter"]], "Bedrock AgentCore code interpreter", "bedrock-agentcore:ListCodeInterpreters", ["bedrock-002"]),
  existing("ecs-execute-command", "Open a shell in a running ECS task", "ecs:ExecuteCommand opens a shell in a running task, with its task role.", [["ecs:executecommand"]], "ECS task", "ecs:ListClusters + ListTasks + DescribeTasks", []),
];

function existing(
  id: string,
  title: string,
  description: string,
  requires: string[][],
  resource: string,
  collection: string,
  catalogue: string[],
): EscalationMethod {
  return { id, title, kind: "existing-resource", description, requires, existing: { resource, collection }, catalogue, references: [PATHFINDING] };
}
