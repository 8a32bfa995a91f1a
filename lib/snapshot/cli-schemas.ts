import { z } from "zod";

/**
 * Zod schemas for the AWS CLI v2 output files a snapshot directory holds. Only the fields
 * Saltzer reads are declared; unknown fields are ignored (zod strips them). Policy documents
 * are `unknown` here and validated by parsePolicyDocument, which knows their JSON path.
 * Timestamps are ISO strings in CLI output and epoch seconds in raw API JSON: both accepted.
 *
 * A snapshot is untrusted input, so every field kept is held to what AWS documents for it: names
 * and ids to their patterns and lengths, numbers to integers in their documented ranges. A value
 * AWS could not have returned is an error naming its JSON path, never a database error later.
 */

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A string of at most `max` characters matching `pattern`; `what` names it in the message. */
function pattern(what: string, regex: RegExp, max: number) {
  return z
    .string()
    .max(max, { message: `longer than the ${max} characters AWS allows for ${what}` })
    .regex(regex, { message: `is not a valid ${what}` });
}

/** Free text AWS returns (descriptions, states, names without a documented pattern): bounded, no control characters. */
function text(max: number) {
  return z
    .string()
    .max(max, { message: `longer than ${max} characters` })
    .regex(/^[^\u0000-\u001f\u007f]*$/, { message: "contains control characters" });
}

/** An integer within AWS's documented range. */
function integer(what: string, min: number, max: number) {
  return z
    .number()
    .int({ message: `${what} must be a whole number` })
    .min(min, { message: `${what} must be between ${min} and ${max}` })
    .max(max, { message: `${what} must be between ${min} and ${max}` });
}

const timestamp = z.union([
  z.string().max(64).refine((s) => !Number.isNaN(new Date(s).getTime()), { message: "is not a date and time" }),
  // Epoch seconds, between 1970 and 5138 (beyond that Date cannot represent the value).
  z.number().min(0).max(1e11),
]);
const policyDocument = z.unknown();

const PARTITION = "aws(?:-[a-z]+)*";
export const ACCOUNT_ID = /^\d{12}$/;
/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1 … */
export const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const REGION = "[a-z]{2}(?:-[a-z]+)+-\\d{1,2}";

// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html and siblings
const accountId = pattern("account id (12 digits)", ACCOUNT_ID, 12);
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
export const SCP_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const rootId = pattern("root id (r-…)", ROOT_ID, 34);
const parentId = pattern("parent id (a root r-… or an OU ou-…)", new RegExp(`${ROOT_ID.source}|${OU_ID.source}`), 68);
const policyId = pattern("policy id (p-…)", SCP_ID, 130);
const organizationArn = pattern("Organizations ARN", new RegExp(`^arn:${PARTITION}:organizations::[\\x21-\\x7e]+$`), 2048);

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
const iamName = (what: string, max: number) => pattern(what, new RegExp(`^[\\w+=,.@-]{1,${max}}$`), max);
const iamPath = pattern("IAM path (/…/)", /^\/(?:[\x21-\x7e]*\/)?$/, 512);
const iamArn = (what: string) => pattern(what, new RegExp(`^arn:${PARTITION}:iam::(?:\\d{12}|aws):[\\x21-\\x7e]+$`), 2048);
const managedPolicyArn = pattern("managed policy ARN", new RegExp(`^arn:${PARTITION}:iam::(?:\\d{12}|aws):policy/(?:[\\x21-\\x7e]*/)?[\\w+=,.@-]{1,128}$`), 2048);
/** Inline policy names: printable ASCII except space and the reserved \ / * ? (IAM quotas page). */
const inlinePolicyName = pattern("inline policy name", /^[\x21-\x29\x2b-\x2e\x30-\x3e\x40-\x5b\x5d-\x7e]{1,128}$/, 128);
const arn = (what: string) => pattern(what, /^arn:[\x21-\x7e]+$/, 2048);

// https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const FUNCTION_ARN = new RegExp(`^arn:(${PARTITION}):lambda:(${REGION}):(\\d{12}):function:([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`);
const functionName = pattern("function name (1-64 letters, digits, - and _)", FUNCTION_NAME, 64);
const functionArn = pattern("function ARN (arn:aws:lambda:region:account:function:name)", FUNCTION_ARN, 256);

// ---------------------------------------------------------------------------------------------
// Organizations

/** aws organizations describe-organization */
export const describeOrganizationSchema = z.object({
  Organization: z.object({
    Id: pattern("organization id (o-…)", /^o-[a-z0-9]{10,32}$/, 34),
    Arn: organizationArn.optional(),
    MasterAccountId: accountId,
  }),
});

/** aws organizations list-accounts */
export const listAccountsSchema = z.object({
  Accounts: z.array(
    z.object({
      Id: accountId,
      Email: text(320).optional(),
      // CreateAccount: AccountName is 1-50 characters; a little slack for older accounts.
      Name: text(256).optional(),
      Status: text(64).optional(),
      // Newer API versions add State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED) beside Status.
      State: text(64).optional(),
    }),
  ),
});

/** aws organizations list-roots */
export const listRootsSchema = z.object({
  Roots: z.array(z.object({ Id: rootId })),
});

/** aws organizations list-parents --child-id X */
export const listParentsSchema = z.object({
  Parents: z.array(z.object({ Id: parentId, Type: z.enum(["ROOT", "ORGANIZATIONAL_UNIT"]).optional() })),
});

const organizationPolicySummary = z.object({
  Id: policyId,
  Arn: organizationArn,
  Name: text(128),
  Description: text(512).optional(),
  Type: text(64).optional(),
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

const inlinePolicy = z.object({ PolicyName: inlinePolicyName, PolicyDocument: policyDocument });
const attachedPolicy = z.object({ PolicyName: iamName("policy name", 128).optional(), PolicyArn: managedPolicyArn });
const permissionsBoundary = z.object({ PermissionsBoundaryType: text(64).optional(), PermissionsBoundaryArn: managedPolicyArn });

/** aws iam get-account-authorization-details (lists default to empty: `--filter` omits them) */
export const accountAuthorizationDetailsSchema = z.object({
  UserDetailList: z
    .array(
      z.object({
        Arn: iamArn("user ARN"),
        UserName: iamName("user name", 64),
        UserPolicyList: z.array(inlinePolicy).default([]),
        GroupList: z.array(iamName("group name", 128)).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
        PermissionsBoundary: permissionsBoundary.optional(),
      }),
    )
    .default([]),
  GroupDetailList: z
    .array(
      z.object({
        Arn: iamArn("group ARN"),
        GroupName: iamName("group name", 128),
        GroupPolicyList: z.array(inlinePolicy).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
      }),
    )
    .default([]),
  RoleDetailList: z
    .array(
      z.object({
        Arn: iamArn("role ARN"),
        RoleName: iamName("role name", 64),
        RoleId: pattern("role id", /^[\w]{16,128}$/, 128),
        Path: iamPath.default("/"),
        CreateDate: timestamp.optional(),
        AssumeRolePolicyDocument: policyDocument,
        RolePolicyList: z.array(inlinePolicy).default([]),
        AttachedManagedPolicies: z.array(attachedPolicy).default([]),
        PermissionsBoundary: permissionsBoundary.optional(),
        RoleLastUsed: z.object({ LastUsedDate: timestamp.optional(), Region: text(64).optional() }).optional(),
        Tags: z.array(z.object({ Key: text(128), Value: text(256) })).optional(),
        InstanceProfileList: z.array(z.object({ Arn: text(2048) })).optional(),
      }),
    )
    .default([]),
  Policies: z
    .array(
      z.object({
        PolicyName: iamName("policy name", 128),
        Arn: managedPolicyArn,
        DefaultVersionId: pattern("policy version id (v1 …)", /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, 64).optional(),
        PolicyVersionList: z.array(
          z.object({
            Document: policyDocument.optional(),
            VersionId: pattern("policy version id (v1 …)", /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, 64).optional(),
            IsDefaultVersion: z.boolean(),
          }),
        ),
      }),
    )
    .default([]),
});

/** aws iam get-service-last-accessed-details --job-id J (ACTION_LEVEL job) */
export const serviceLastAccessedDetailsSchema = z.object({
  JobStatus: text(64).optional(),
  ServicesLastAccessed: z.array(
    z.object({
      ServiceNamespace: pattern("service namespace", /^[\w-]{1,64}$/, 64),
      ServiceName: text(256).optional(),
      LastAuthenticated: timestamp.optional(),
      TrackedActionsLastAccessed: z
        .array(z.object({ ActionName: pattern("action name", /^[\w-]{1,128}$/, 128), LastAccessedTime: timestamp.optional() }))
        .optional(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Lambda

/** Environment variable names: https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html (one letter is accepted in practice). */
const environmentName = pattern("environment variable name (a letter, then letters, digits and _)", /^[a-zA-Z][a-zA-Z0-9_]*$/, 4096);

/** aws lambda list-functions */
export const listFunctionsSchema = z.object({
  Functions: z.array(
    z.object({
      FunctionName: functionName,
      FunctionArn: functionArn,
      Runtime: pattern("runtime (nodejs20.x …)", /^[a-z0-9.]{1,64}$/, 64).optional(),
      Role: pattern("role ARN (arn:aws:iam::account:role/name)", new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/(?:[\\x21-\\x7e]*/)?[\\w+=,.@-]{1,64}$`), 2048),
      Handler: pattern("handler", /^[^\s\u0000-\u001f\u007f]{1,128}$/, 128).optional(),
      PackageType: z.enum(["Zip", "Image"]).optional(),
      // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: MemorySize 128-10240 MB, Timeout 1-900 s.
      MemorySize: integer("MemorySize", 128, 10240).optional(),
      Timeout: integer("Timeout", 1, 900).optional(),
      LastModified: timestamp.optional(),
      Architectures: z.array(z.enum(["x86_64", "arm64"])).max(1).optional(),
      Environment: z
        .object({
          Variables: z
            .record(environmentName, z.string())
            // Lambda quota: 4 KB for all of a function's environment variables together (names and values).
            // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
            .refine((vars) => Object.entries(vars).reduce((n, [k, v]) => n + k.length + v.length, 0) <= 4096, { message: "environment variables exceed the 4 KB Lambda allows" })
            .optional(),
        })
        .optional(),
      Layers: z.array(z.object({ Arn: arn("layer ARN") })).max(5).optional(),
      VpcConfig: z
        .object({
          SubnetIds: z.array(pattern("subnet id", /^[\w-]{1,1024}$/, 1024)).max(16).default([]),
          SecurityGroupIds: z.array(pattern("security group id", /^[\w-]{1,1024}$/, 1024)).max(5).default([]),
          VpcId: pattern("VPC id", /^[\w-]{0,1024}$/, 1024).optional(),
        })
        .optional(),
      DeadLetterConfig: z.object({ TargetArn: z.union([arn("dead-letter target ARN"), z.literal("")]).optional() }).optional(),
      KMSKeyArn: z.union([arn("KMS key ARN"), z.literal("")]).optional(),
      TracingConfig: z.object({ Mode: z.enum(["Active", "PassThrough"]).optional() }).optional(),
      LoggingConfig: z.object({ LogGroup: pattern("log group name", /^[\w\-/.#]{1,512}$/, 512).optional() }).optional(),
    }),
  ),
});

/** SelfManagedEventSource (Kafka): Endpoints → KAFKA_BOOTSTRAP_SERVERS → 1-10 `host:port` strings of up to 300 characters. */
const selfManagedEventSource = z.object({
  Endpoints: z.record(pattern("endpoint type", /^[A-Z_]{1,64}$/, 64), z.array(text(300)).max(10)).optional(),
});

/** aws lambda list-event-source-mappings */
export const listEventSourceMappingsSchema = z.object({
  EventSourceMappings: z.array(
    z.object({
      UUID: pattern("mapping UUID", /^[\w-]{1,64}$/, 64),
      FunctionArn: functionArn,
      EventSourceArn: arn("event source ARN").optional(),
      State: text(64).optional(),
      // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html: BatchSize 1-10000.
      BatchSize: integer("BatchSize", 1, 10000).optional(),
      SelfManagedEventSource: selfManagedEventSource.optional(),
    }),
  ),
});

/** aws lambda get-policy --function-name X (Policy is a JSON string) */
export const getFunctionPolicySchema = z.object({ Policy: z.string(), RevisionId: text(128).optional() });

/** Function URL CORS: https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html */
const cors = z.object({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: z.array(text(1024)).max(100).optional(),
  AllowMethods: z.array(text(6)).max(6).optional(),
  AllowOrigins: z.array(text(253)).max(100).optional(),
  ExposeHeaders: z.array(text(1024)).max(100).optional(),
  MaxAge: integer("MaxAge", 0, 86400).optional(),
});

/** aws lambda list-function-url-configs --function-name X */
export const listFunctionUrlConfigsSchema = z.object({
  FunctionUrlConfigs: z.array(
    z.object({
      // AWS gives https://<id>.lambda-url.<region>.on.aws/; emulators may answer http.
      FunctionUrl: pattern("function URL", /^https?:\/\/[\x21-\x7e]+$/, 2048),
      FunctionArn: functionArn,
      AuthType: z.enum(["NONE", "AWS_IAM"]),
      Cors: cors.optional(),
    }),
  ),
});
