import { z } from "zod";

/**
 * Zod schemas for the AWS CLI v2 output files a snapshot directory holds. Only the fields
 * Saltzer reads are declared; unknown fields are ignored (zod strips them). Policy documents
 * are `unknown` here and validated by parsePolicyDocument, which knows their JSON path.
 * Timestamps are ISO strings in CLI output and epoch seconds in raw API JSON: both accepted.
 */

const timestamp = z.union([z.string(), z.number()]);
const policyDocument = z.unknown();

// ---------------------------------------------------------------------------------------------
// Organizations

/** aws organizations describe-organization */
export const describeOrganizationSchema = z.object({
  Organization: z.object({
    Id: z.string(),
    Arn: z.string().optional(),
    MasterAccountId: z.string(),
    MasterAccountArn: z.string().optional(),
  }),
});

/** aws organizations list-accounts */
export const listAccountsSchema = z.object({
  Accounts: z.array(
    z.object({
      Id: z.string(),
      Arn: z.string().optional(),
      Email: z.string().optional(),
      Name: z.string().optional(),
      Status: z.string().optional(),
      // Newer API versions add State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED) beside Status.
      State: z.string().optional(),
    }),
  ),
});

/** aws organizations list-roots */
export const listRootsSchema = z.object({
  Roots: z.array(z.object({ Id: z.string(), Arn: z.string().optional(), Name: z.string().optional() })),
});

/** aws organizations list-parents --child-id X */
export const listParentsSchema = z.object({
  Parents: z.array(z.object({ Id: z.string(), Type: z.string().optional() })),
});

const organizationPolicySummary = z.object({
  Id: z.string(),
  Arn: z.string(),
  Name: z.string(),
  Description: z.string().optional(),
  Type: z.string().optional(),
  AwsManaged: z.boolean().optional(),
});

/** aws organizations list-policies-for-target --target-id X --filter SERVICE_CONTROL_POLICY */
export const listPoliciesForTargetSchema = z.object({ Policies: z.array(organizationPolicySummary) });

/** aws organizations describe-policy --policy-id X (Content is a JSON string) */
export const describePolicySchema = z.object({
  Policy: z.object({ PolicySummary: organizationPolicySummary, Content: z.string() }),
});

// ---------------------------------------------------------------------------------------------
// IAM

const inlinePolicy = z.object({ PolicyName: z.string(), PolicyDocument: policyDocument });
const attachedPolicy = z.object({ PolicyName: z.string().optional(), PolicyArn: z.string() });
const permissionsBoundary = z.object({ PermissionsBoundaryType: z.string().optional(), PermissionsBoundaryArn: z.string() });

/** aws iam get-account-authorization-details (lists default to empty: `--filter` omits them) */
export const accountAuthorizationDetailsSchema = z.object({
  UserDetailList: z
    .array(
      z.object({
        Arn: z.string(),
        UserName: z.string(),
        UserPolicyList: z.array(inlinePolicy).default([]),
        GroupList: z.array(z.string()).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
        PermissionsBoundary: permissionsBoundary.optional(),
      }),
    )
    .default([]),
  GroupDetailList: z
    .array(
      z.object({
        Arn: z.string(),
        GroupName: z.string(),
        GroupPolicyList: z.array(inlinePolicy).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
      }),
    )
    .default([]),
  RoleDetailList: z
    .array(
      z.object({
        Arn: z.string(),
        RoleName: z.string(),
        RoleId: z.string(),
        Path: z.string().default("/"),
        CreateDate: timestamp.optional(),
        AssumeRolePolicyDocument: policyDocument,
        RolePolicyList: z.array(inlinePolicy).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
        PermissionsBoundary: permissionsBoundary.optional(),
        RoleLastUsed: z.object({ LastUsedDate: timestamp.optional(), Region: z.string().optional() }).optional(),
        Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
        InstanceProfileList: z.array(z.object({ Arn: z.string() })).optional(),
      }),
    )
    .default([]),
  Policies: z
    .array(
      z.object({
        PolicyName: z.string(),
        Arn: z.string(),
        DefaultVersionId: z.string().optional(),
        PolicyVersionList: z.array(
          z.object({ Document: policyDocument.optional(), VersionId: z.string().optional(), IsDefaultVersion: z.boolean() }),
        ),
      }),
    )
    .default([]),
});

/** aws iam get-service-last-accessed-details --job-id J (ACTION_LEVEL job) */
export const serviceLastAccessedDetailsSchema = z.object({
  JobStatus: z.string().optional(),
  ServicesLastAccessed: z.array(
    z.object({
      ServiceNamespace: z.string(),
      ServiceName: z.string().optional(),
      LastAuthenticated: timestamp.optional(),
      TrackedActionsLastAccessed: z
        .array(z.object({ ActionName: z.string(), LastAccessedTime: timestamp.optional() }))
        .optional(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Lambda

/** aws lambda list-functions */
export const listFunctionsSchema = z.object({
  Functions: z.array(
    z.object({
      FunctionName: z.string(),
      FunctionArn: z.string(),
      Runtime: z.string().optional(),
      Role: z.string(),
      Handler: z.string().optional(),
      PackageType: z.enum(["Zip", "Image"]).optional(),
      MemorySize: z.number().optional(),
      Timeout: z.number().optional(),
      LastModified: timestamp.optional(),
      Architectures: z.array(z.string()).optional(),
      Environment: z
        .object({ Variables: z.record(z.string(), z.string()).optional() })
        .optional(),
      Layers: z.array(z.object({ Arn: z.string() })).optional(),
      VpcConfig: z
        .object({
          SubnetIds: z.array(z.string()).default([]),
          SecurityGroupIds: z.array(z.string()).default([]),
          VpcId: z.string().optional(),
        })
        .optional(),
      DeadLetterConfig: z.object({ TargetArn: z.string().optional() }).optional(),
      KMSKeyArn: z.string().optional(),
      TracingConfig: z.object({ Mode: z.enum(["Active", "PassThrough"]).optional() }).optional(),
      LoggingConfig: z.object({ LogGroup: z.string().optional() }).optional(),
    }),
  ),
});

/** aws lambda list-event-source-mappings */
export const listEventSourceMappingsSchema = z.object({
  EventSourceMappings: z.array(
    z.object({
      UUID: z.string(),
      FunctionArn: z.string(),
      EventSourceArn: z.string().optional(),
      State: z.string().optional(),
      BatchSize: z.number().optional(),
      SelfManagedEventSource: z.unknown().optional(),
    }),
  ),
});

/** aws lambda get-policy --function-name X (Policy is a JSON string) */
export const getFunctionPolicySchema = z.object({ Policy: z.string(), RevisionId: z.string().optional() });

/** aws lambda list-function-url-configs --function-name X */
export const listFunctionUrlConfigsSchema = z.object({
  FunctionUrlConfigs: z.array(
    z.object({
      FunctionUrl: z.string(),
      FunctionArn: z.string(),
      AuthType: z.enum(["NONE", "AWS_IAM"]),
      Cors: z.unknown().optional(),
    }),
  ),
});
