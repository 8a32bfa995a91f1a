import { describe, expect, it } from "vitest";
import type { PolicyStatement } from "@/lib/snapshot/types";
import { evaluate as confusedDeputy } from "./confused-deputy";
import { evaluate as crossAccount } from "./cross-account-invoke";
import { evaluate as publicInvoke } from "./public-invoke";
import { context, functionArn, lambdaFunction } from "@/test/builders/rule-fixtures";

const FN = functionArn("api");

function withPolicy(...statements: PolicyStatement[]) {
  return context(lambdaFunction("api", { resourcePolicy: { Version: "2012-10-17", Statement: statements } }));
}

describe("public-invoke", () => {
  it("flags Principal * without a restricting condition", () => {
    // Given Principal "*" allowed to invoke with no condition
    const ctx = withPolicy({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: FN });
    // When / Then one finding names the statement
    const hits = publicInvoke(ctx);
    expect(hits).toHaveLength(1);
    expect(hits[0].reason).toContain("Sid Open");
  });

  it("does not treat lambda:FunctionUrlAuthType alone as restricting", () => {
    // Given the statement AWS adds for a NONE function URL
    const ctx = withPolicy({
      Effect: "Allow",
      Principal: "*",
      Action: "lambda:InvokeFunctionUrl",
      Resource: FN,
      Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
    });
    // When / Then it is still public
    expect(publicInvoke(ctx)).toHaveLength(1);
  });

  it("accepts aws:PrincipalOrgID as restricting", () => {
    // Given {"AWS":"*"} pinned to the organization
    const ctx = withPolicy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "lambda:InvokeFunction", Resource: FN, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } });
    // When / Then nothing is public
    expect(publicInvoke(ctx)).toEqual([]);
  });

  it("reports a NONE function URL once together with its permission statement", () => {
    // Given a NONE URL and its public statement
    const fn = lambdaFunction("api", {
      urls: [{ url: "https://abc.lambda-url.us-east-1.on.aws/", authType: "NONE", qualifier: null, cors: null }],
      resourcePolicy: {
        Statement: [{ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunctionUrl", Resource: FN, Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } } }],
      },
    });
    // When / Then one URL finding
    const hits = publicInvoke(context(fn));
    expect(hits.map((h) => h.title)).toEqual(["Function URL without authentication"]);
  });
});

describe("public-invoke: a function URL with AuthType NONE", () => {
  const url = { url: "https://abc.lambda-url.us-east-1.on.aws/", authType: "NONE" as const, qualifier: null, cors: null };

  it("is not public without a statement letting everyone call it (AWS answers 403)", () => {
    // Given a NONE URL and a resource policy that only lets the own account invoke
    const fn = lambdaFunction("api", { urls: [url], resourcePolicy: { Statement: [{ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "lambda:InvokeFunctionUrl", Resource: FN }] } });
    // When / Then nothing is public
    expect(publicInvoke(context(fn))).toEqual([]);
  });

  it("is public when lambda:* is granted to everyone with only lambda:FunctionUrlAuthType", () => {
    // Given a NONE URL and Principal * allowed lambda:* under lambda:FunctionUrlAuthType = NONE
    const fn = lambdaFunction("api", {
      urls: [url],
      resourcePolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "lambda:*", Resource: FN, Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } } }] },
    });
    // When / Then the URL is public
    expect(publicInvoke(context(fn)).map((h) => h.title)).toEqual(["Function URL without authentication"]);
  });

  it.each([["lambda:Invoke*"], ["lambda:*Url"], ["LAMBDA:INVOKEFUNCTIONURL"]])("is public when everyone is granted %s (matched like an identity policy's action)", (action) => {
    // Given a NONE URL and Principal * allowed a wildcard (or differently cased) action covering lambda:InvokeFunctionUrl
    const fn = lambdaFunction("api", { urls: [url], resourcePolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: action, Resource: FN }] } });
    // When / Then the URL is reported as public
    expect(publicInvoke(context(fn)).map((h) => h.title)).toEqual(["Function URL without authentication"]);
  });

  it("is not public when everyone is granted only an action that does not cover the URL (lambda:InvokeFunction)", () => {
    // Given Principal * allowed lambda:InvokeFunction only: the URL still answers 403
    const fn = lambdaFunction("api", { urls: [url], resourcePolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: FN }] } });
    // When / Then the statement is reported as open, but not the URL
    expect(publicInvoke(context(fn)).map((h) => h.title)).toEqual(["Resource policy allows any principal"]);
  });
});

describe("confused-deputy", () => {
  it("flags a service principal without SourceArn or SourceAccount", () => {
    // Given s3.amazonaws.com allowed with no condition
    const ctx = withPolicy({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: FN });
    // When / Then it is flagged
    expect(confusedDeputy(ctx)).toHaveLength(1);
  });

  it("does not flag a service principal scoped by SourceArn (any key case, ArnLike)", () => {
    // Given sns.amazonaws.com scoped with ArnLike on AWS:SourceArn
    const ctx = withPolicy({
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FN,
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:sns:us-east-1:111111111111:orders" } },
    });
    // When / Then nothing
    expect(confusedDeputy(ctx)).toEqual([]);
  });

  it("does not accept a negative operator as scoping", () => {
    // Given StringNotEquals on SourceAccount (does not pin the caller)
    const ctx = withPolicy({
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FN,
      Condition: { StringNotEquals: { "aws:SourceAccount": "222222222222" } },
    });
    // When / Then flagged
    expect(confusedDeputy(ctx)).toHaveLength(1);
  });
});

describe("cross-account-invoke", () => {
  it("flags an account outside the organization", () => {
    // Given an external account principal (no organization: the scanned account is the org)
    const ctx = withPolicy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "lambda:InvokeFunction", Resource: FN });
    // When / Then flagged with the account
    expect(crossAccount(ctx)[0].reason).toContain("999999999999");
  });

  it("does not count the own account's API Gateway (SourceArn in the own account) as outside the organization", () => {
    // Given apigateway.amazonaws.com scoped to an API of the function's own account
    const ctx = withPolicy({
      Effect: "Allow",
      Principal: { Service: "apigateway.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FN,
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:execute-api:us-east-1:111111111111:abc123/*" } },
    });
    // When / Then nothing is cross-account
    expect(crossAccount(ctx)).toEqual([]);
  });

  it("flags a service principal whose SourceArn is another organization's resource", () => {
    // Given events.amazonaws.com scoped to a rule in an external account
    const ctx = withPolicy({
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FN,
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:events:us-east-1:999999999999:rule/partner" } },
    });
    // When / Then it is cross-account, naming the ARN
    expect(crossAccount(ctx)[0].reason).toContain("arn:aws:events:us-east-1:999999999999:rule/partner");
  });

  it("does not flag the function's own account", () => {
    // Given the own account as principal
    const ctx = withPolicy({ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "lambda:InvokeFunction", Resource: FN });
    // When / Then nothing
    expect(crossAccount(ctx)).toEqual([]);
  });
});
