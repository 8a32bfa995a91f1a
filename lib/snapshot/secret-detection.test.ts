import { describe, expect, it } from "vitest";
import { classifyEnvironmentVariable, reduceEnvironment, settleEnvironmentReferences } from "@/lib/snapshot/secret-detection";
import type { Account, LambdaFunction } from "@/lib/snapshot/types";
import { testFunction } from "@/lib/snapshot/test-functions";

/** Classify and check that the value never leaks into the stored variable. */
function classify(name: string, value: string) {
  const { variable } = classifyEnvironmentVariable(name, value);
  if (value.length >= 4) expect(JSON.stringify([variable.secretReason, variable.referencedArns])).not.toContain(value);
  return variable;
}

describe("classifyEnvironmentVariable: secret names", () => {
  it.each([
    ["DB_PASSWORD", "hunter2", "name contains PASSWORD"],
    ["dbPassword", "hunter2", "name contains PASSWORD"],
    ["STRIPE_API_KEY", "sk_live_abc", "name contains API_KEY"],
    ["GITHUB_TOKEN", "abc", "name contains TOKEN"],
    ["JWT_SECRET", "shh", "name contains SECRET"],
    ["SERVICE_CREDENTIALS", "user:pw", "name contains CREDENTIALS"],
    ["SIGNING_PRIVATE_KEY", "abc", "name contains PRIVATE_KEY"],
    ["OAUTH_CLIENT_SECRET", "abc", "name contains CLIENT_SECRET"],
  ])("flags %s by its name", (name, value, reason) => {
    // Given a variable whose name says it is a credential / When classified / Then it looks secret for that reason
    expect(classify(name, value)).toEqual({ name, looksSecret: true, secretReason: reason, referencedArns: [] });
  });

  it.each([
    ["DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:222222222222:secret:prod/db-AbCdEf"],
    ["API_TOKEN_PARAMETER_NAME", "/prod/api/token"],
    ["TOKEN_TABLE", "tokens-prod"],
    ["TOKEN_TTL_SECONDS", "3600"],
    ["USE_SECRETS_MANAGER", "true"],
  ])("does not flag %s, which refers to a secret rather than holding it", (name, value) => {
    // Given a reference, flag or number under a secret-sounding name / When classified / Then it is not secret
    expect(classify(name, value).looksSecret).toBe(false);
  });
});

describe("classifyEnvironmentVariable: secret values", () => {
  it.each([
    ["SOME_ID", "AKIAIOSFODNN7EXAMPLE", "value has the shape of an AWS access key id"],
    ["SESSION", "ASIAJ5EXAMPLE2345678", "value has the shape of an AWS access key id"],
    ["AWS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "value has the shape of an AWS secret access key"],
    ["AUTH_HEADER", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "value has the shape of a JSON Web Token"],
    ["CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...", "value contains a PEM private key header"],
    ["DATABASE_URL", "postgres://app:pa55word@db.internal:5432/orders", "value is a URL with an embedded password"],
    ["WEBHOOK", "https://api.example.com/hook?token=abc123", "value is a URL carrying a credential in its query string"],
    ["STRIPE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc9f86d081", "value contains a long high-entropy string"],
    ["CHECKSUM_SALT", "9f86d081884c7d659a2feaa0c55ad015", "value contains a long high-entropy string"],
  ])("flags %s by its value's shape", (name, value, reason) => {
    // Given a value with a credential's shape under a neutral name / When classified / Then the reason names the shape
    expect(classify(name, value)).toEqual({ name, looksSecret: true, secretReason: reason, referencedArns: [] });
  });

  it.each([
    ["QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/222222222222/orders-queue"],
    ["TABLE", "MyStack-OrdersTable-1A2B3C4D5E6F7"],
    ["REQUEST_ID", "123e4567-e89b-12d3-a456-426614174000"],
    ["STAGE", "prod"],
    ["MAX_RETRIES", "5"],
    ["DEBUG", "false"],
    ["BUCKET", "acme-prod-uploads-222222222222"],
    ["DB_URL", "postgres://app@db.internal:5432/orders"],
    ["LOG_PATH", "/aws/lambda/orders-handler"],
    ["GREETING", "Hello from the orders service"],
  ])("does not flag %s, an ordinary configuration value", (name, value) => {
    // Given a common non-secret value / When classified / Then it is not secret
    expect(classify(name, value).looksSecret).toBe(false);
  });
});

describe("classifyEnvironmentVariable: references", () => {
  const references = (name: string, value: string) => classifyEnvironmentVariable(name, value).references;

  it("reads a list of ARNs, a queue URL and an S3 URI as the identifiers they are", () => {
    // Given identifiers by syntax / When classified / Then each is a reference of its kind
    expect(references("TARGETS", "arn:aws:dynamodb:us-east-1:222222222222:table/orders,arn:aws:s3:::acme-uploads/*")).toEqual([
      { kind: "arn", arn: "arn:aws:dynamodb:us-east-1:222222222222:table/orders" },
      { kind: "arn", arn: "arn:aws:s3:::acme-uploads/*" },
    ]);
    expect(references("QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/222222222222/orders-dlq")).toEqual([{ kind: "queue-url", region: "eu-west-1", account: "222222222222", queue: "orders-dlq" }]);
    expect(references("INPUT", "s3://acme-raw-data/incoming/")).toEqual([{ kind: "s3-uri", bucket: "acme-raw-data" }]);
  });

  it("keeps no references for a secret value", () => {
    // Given a URL with a password that also names a host / When classified / Then nothing from it is kept
    expect(references("DATABASE_URL", "postgres://app:pa55word@orders-db:5432/orders")).toEqual([]);
  });

  it("takes nothing from a URL, a path or free text that is not an AWS identifier", () => {
    // Given values that merely mention resources / When classified / Then no reference remains
    for (const [name, value] of [["DB_HOST_URL", "https://search-orders-q2w3e4.us-east-1.es.amazonaws.com"], ["PARAM_PATH", "/prod/orders/db"], ["CONFIG", '{"table":"orders"}']])
      expect(references(name, value)).toEqual([]);
  });
});

describe("reduceEnvironment and settleEnvironmentReferences", () => {
  const ACCOUNT = "222222222222";
  const account = (fns: LambdaFunction[]): Account => ({
    accountId: ACCOUNT,
    name: null,
    regions: ["us-east-1"],
    roles: [{ arn: `arn:aws:iam::${ACCOUNT}:role/orders-role`, name: "orders-role", path: "/", roleId: "AROAORDERS", createDate: null, assumeRolePolicy: { Statement: [] }, inlinePolicies: [], attachedPolicyArns: [], permissionsBoundaryArn: null, lastUsed: null }],
    users: [],
    groups: [],
    managedPolicies: [],
    functions: fns,
    eventSourceMappings: [],
    lastAccessed: {},
  });

  it("keeps names in order and no values", () => {
    // Given an environment with a secret and a table / When reduced / Then names stay, values are gone
    const reduced = reduceEnvironment({ API_KEY: "k-93jd82hd7s6a5s4d", TABLE_NAME: "orders-prod" });
    expect(reduced.map((v) => v.name)).toEqual(["API_KEY", "TABLE_NAME"]);
    expect(JSON.stringify(reduced)).not.toContain("k-93jd82hd7s6a5s4d");
    expect(JSON.stringify(reduced)).not.toContain("orders-prod");
  });

  it("returns nothing for a function without environment variables", () => {
    // Given no Environment block / When reduced / Then the list is empty
    expect(reduceEnvironment(undefined)).toEqual([]);
  });

  it("keeps a name only as the ARN of a resource the snapshot holds in the function's account", () => {
    // Given a function whose variables hold a role's name, another function's name, an unknown name and a queue URL
    const worker = testFunction({ name: "orders-worker" });
    const fn = testFunction({
      name: "orders",
      environment: reduceEnvironment({ ROLE: "orders-role", NEXT: "orders-worker", DB_PASS: "canary-pass-0042", JOBS: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs` }),
    });
    // When the references are settled against the snapshot
    settleEnvironmentReferences([account([fn, worker])]);
    // Then known names become their ARNs, identifiers their resource, and the unknown value is gone
    expect(Object.fromEntries(fn.environment.map((v) => [v.name, v.referencedArns]))).toEqual({
      ROLE: [`arn:aws:iam::${ACCOUNT}:role/orders-role`],
      NEXT: [worker.arn],
      DB_PASS: [],
      JOBS: [`arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`],
    });
    expect(JSON.stringify(fn.environment)).not.toContain("canary-pass-0042");
  });
});
