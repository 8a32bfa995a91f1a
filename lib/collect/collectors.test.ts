import { GetAccountAuthorizationDetailsCommand, GenerateServiceLastAccessedDetailsCommand, GetServiceLastAccessedDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetPolicyCommand, LambdaClient, ListFunctionUrlConfigsCommand, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { decodeIamPolicyDocuments } from "@/lib/collect/cli-shape";
import { collectAuthorizationDetails } from "@/lib/collect/iam/authorization-details";
import { collectServiceLastAccessed } from "@/lib/collect/iam/last-accessed";
import { collectFunctionPolicy } from "@/lib/collect/lambda/function-policies";
import { collectFunctionUrls } from "@/lib/collect/lambda/function-urls";

const lambdaMock = mockClient(LambdaClient);
const iamMock = mockClient(IAMClient);
const region = "us-east-1";

afterEach(() => {
  lambdaMock.reset();
  iamMock.reset();
});

const notFound = () => new ResourceNotFoundException({ message: "The resource you requested does not exist.", $metadata: {} });

describe("Lambda collectors", () => {
  it("a function without a resource policy has none (GetPolicy ResourceNotFoundException)", async () => {
    // Given GetPolicy answers ResourceNotFoundException
    lambdaMock.on(GetPolicyCommand).rejects(notFound());

    // When the policy is collected, Then there is none, and no error
    await expect(collectFunctionPolicy(new LambdaClient({ region }), "no-policy")).resolves.toBeNull();
  });

  it("other GetPolicy errors are not swallowed", async () => {
    // Given GetPolicy fails with AccessDenied
    lambdaMock.on(GetPolicyCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));

    // When the policy is collected, Then the error reaches the caller (which records a gap)
    await expect(collectFunctionPolicy(new LambdaClient({ region }), "fn")).rejects.toThrow("not authorized");
  });

  it("a function with no URL gives no file, and URL pages are merged", async () => {
    // Given one function without URLs and one whose two URLs come on two pages
    lambdaMock.on(ListFunctionUrlConfigsCommand, { FunctionName: "none" }).resolves({ FunctionUrlConfigs: [] });
    lambdaMock
      .on(ListFunctionUrlConfigsCommand, { FunctionName: "two" })
      .resolvesOnce({ FunctionUrlConfigs: [{ FunctionUrl: "https://a/", FunctionArn: "arn:aws:lambda:us-east-1:1:function:two", AuthType: "NONE", CreationTime: "t", LastModifiedTime: "t" }], NextMarker: "m" })
      .resolvesOnce({ FunctionUrlConfigs: [{ FunctionUrl: "https://b/", FunctionArn: "arn:aws:lambda:us-east-1:1:function:two:live", AuthType: "AWS_IAM", CreationTime: "t", LastModifiedTime: "t" }] });
    const lambda = new LambdaClient({ region });

    // When both are collected
    const [none, two] = await Promise.all([collectFunctionUrls(lambda, "none"), collectFunctionUrls(lambda, "two")]);

    // Then the first has no file and the second lists both URLs
    expect(none).toBeNull();
    expect(two?.FunctionUrlConfigs.map((c) => c.FunctionUrl)).toEqual(["https://a/", "https://b/"]);
  });
});

describe("IAM collectors", () => {
  it("merges authorization-detail pages list by list and decodes URL-encoded documents", async () => {
    // Given two pages, the raw API's URL-encoded documents, and Marker / IsTruncated paging
    const trust = encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }));
    const role = (name: string) => ({ RoleName: name, Arn: `arn:aws:iam::1:role/${name}`, RoleId: "AROA", Path: "/", CreateDate: new Date("2024-01-01T00:00:00Z"), AssumeRolePolicyDocument: trust });
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({ RoleDetailList: [role("a")], UserDetailList: [], IsTruncated: true, Marker: "p2" })
      .resolvesOnce({ RoleDetailList: [role("b")], Policies: [], IsTruncated: false });

    // When the details are collected
    const details = await collectAuthorizationDetails(new IAMClient({ region }));

    // Then both roles are there, as the CLI prints them (decoded documents, ISO dates)
    expect(details.RoleDetailList.map((r) => r.RoleName)).toEqual(["a", "b"]);
    expect(details.RoleDetailList[0].AssumeRolePolicyDocument).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    expect(details.RoleDetailList[0].CreateDate).toBe("2024-01-01T00:00:00.000Z");
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand)[1].args[0].input.Marker).toBe("p2");
  });

  it("keeps a policy document that is not JSON as its string, for the reader to report with its path", () => {
    // Given a document that decodes to something that is not JSON
    // When decoded, Then the string is kept
    expect(decodeIamPolicyDocuments({ PolicyDocument: "%7Bnot-json" })).toEqual({ PolicyDocument: "%7Bnot-json" });
  });

  it("a failed service-last-accessed job is an error naming the role and AWS's reason", async () => {
    // Given a job that fails
    iamMock.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: "job-1" });
    iamMock.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: "FAILED", JobCreationDate: new Date(), ServicesLastAccessed: [], Error: { Code: "ServiceFailure", Message: "try later" } });

    // When collected, Then the error says which role and why
    await expect(collectServiceLastAccessed(new IAMClient({ region }), "arn:aws:iam::1:role/r", { pollIntervalMs: 1 })).rejects.toThrow("service-last-accessed job job-1 for arn:aws:iam::1:role/r failed: ServiceFailure try later");
  });
});
