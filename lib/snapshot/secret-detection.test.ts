import { describe, expect, it } from "vitest";
import { classifyEnvironmentVariable, reduceEnvironment } from "@/lib/snapshot/secret-detection";

/** Classify and check that the value never leaks into the result. */
function classify(name: string, value: string) {
  const result = classifyEnvironmentVariable(name, value);
  if (value.length >= 4) expect(JSON.stringify(result.secretReason ?? "")).not.toContain(value);
  return result;
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
    expect(classify(name, value)).toEqual({ name, looksSecret: true, secretReason: reason, referencedArns: [], referencedNames: [] });
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
    expect(classify(name, value)).toEqual({ name, looksSecret: true, secretReason: reason, referencedArns: [], referencedNames: [] });
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
  it("collects ARNs from a non-secret value", () => {
    // Given a comma-separated list of ARNs / When classified / Then each ARN is a reference
    const value = "arn:aws:dynamodb:us-east-1:222222222222:table/orders,arn:aws:s3:::acme-uploads/*";
    expect(classify("TARGETS", value).referencedArns).toEqual(["arn:aws:dynamodb:us-east-1:222222222222:table/orders", "arn:aws:s3:::acme-uploads/*"]);
  });

  it("names a table from a TABLE_NAME variable", () => {
    // Given a table name / When classified / Then it is a referenced name
    expect(classify("TABLE_NAME", "orders")).toMatchObject({ looksSecret: false, referencedNames: ["orders"] });
  });

  it("names a bucket from an S3 URI and a queue from its URL", () => {
    // Given S3 and SQS URLs / When classified / Then the bucket and queue names are referenced
    expect(classify("INPUT", "s3://acme-raw-data/incoming/").referencedNames).toEqual(["acme-raw-data"]);
    expect(classify("QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/222222222222/orders-dlq").referencedNames).toEqual(["orders-dlq"]);
  });

  it("names an RDS cluster from its endpoint and an OpenSearch domain from its URL", () => {
    // Given AWS service endpoints / When classified / Then the resource identifiers are referenced
    expect(classify("DB_HOST", "payments-db.cluster-c9akqe2xl3qz.us-east-1.rds.amazonaws.com").referencedNames).toEqual(["payments-db"]);
    expect(classify("ES_ENDPOINT", "https://search-orders-search-q2w3e4.us-east-1.es.amazonaws.com").referencedNames).toEqual(["orders-search"]);
  });

  it("does not take a prefix for a resource name", () => {
    // Given a name prefix with a trailing hyphen / When classified / Then no name is referenced
    expect(classify("FUNCTION_PREFIX", "orders-").referencedNames).toEqual([]);
  });

  it("does not take words, regions, numbers or versions for resource names", () => {
    // Given configuration values that are not resources / When classified / Then no names are referenced
    for (const [name, value] of [["LOG_LEVEL", "debug"], ["REGION", "us-east-1"], ["PORT", "5432"], ["VERSION", "1.2.3"], ["MODE", "fast"]])
      expect(classify(name, value).referencedNames).toEqual([]);
  });

  it("keeps no references for a secret value", () => {
    // Given a URL with a password that also names a host / When classified / Then nothing from it is kept
    expect(classify("DATABASE_URL", "postgres://app:pa55word@orders-db:5432/orders")).toMatchObject({ referencedArns: [], referencedNames: [] });
  });
});

describe("reduceEnvironment", () => {
  it("keeps names in order and no values", () => {
    // Given an environment with a secret and a table / When reduced / Then names stay, values are gone
    const reduced = reduceEnvironment({ API_KEY: "k-93jd82hd7s6a5s4d", TABLE_NAME: "orders-prod" });
    expect(reduced.map((v) => v.name)).toEqual(["API_KEY", "TABLE_NAME"]);
    expect(JSON.stringify(reduced)).not.toContain("k-93jd82hd7s6a5s4d");
  });

  it("returns nothing for a function without environment variables", () => {
    // Given no Environment block / When reduced / Then the list is empty
    expect(reduceEnvironment(undefined)).toEqual([]);
  });
});
