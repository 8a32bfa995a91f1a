import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { validateJsonSchema } from "@/lib/report/validate-json-schema";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, SAMPLE, saltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleFunctionArns(): string[] {
  const arns: string[] = [];
  for (const account of fs.readdirSync(path.join(SAMPLE, "accounts"))) {
    const regions = path.join(SAMPLE, "accounts", account, "regions");
    for (const region of fs.readdirSync(regions)) {
      const list = JSON.parse(fs.readFileSync(path.join(regions, region, "lambda", "list-functions.json"), "utf8"));
      for (const fn of list.Functions) arns.push(fn.FunctionArn);
    }
  }
  return arns.sort();
}

describe("saltzer scan and report", () => {
  const dataDir = path.join(tmp, "data");
  const reportFile = path.join(tmp, "report.json");

  it("scans the sample and writes a JSON report listing every sample function", () => {
    // Given the bundled sample organization
    // When it is scanned with a JSON report
    const result = saltzer(["scan", "--snapshot", SAMPLE, "--format", "json", "--out", reportFile, "--quiet"], { SALTZER_DATA_DIR: dataDir });
    // Then the summary is printed and the report lists every function of the sample
    expect(result.stderr).not.toMatch(/saltzer:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Scan 1 succeeded: 3 accounts, 2 regions, \d+ functions/);
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    expect(report.functions.map((f: { arn: string }) => f.arn).sort()).toEqual(sampleFunctionArns());
  });

  it("writes a report that the published JSON Schema accepts", () => {
    // Given the report written by the previous scan
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "report.schema.json"), "utf8"));
    // When it is validated
    const { valid, errors } = validateJsonSchema(schema, report);
    // Then it conforms, with schemaVersion 1
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
    expect(report.schemaVersion).toBe(1);
  });

  it("never puts an environment variable value in the report", () => {
    // Given the sample's payments-processor, whose STRIPE_SECRET_KEY has a (fake) value in the snapshot
    const listFile = path.join(SAMPLE, "accounts", "222222222222", "regions", "us-east-1", "lambda", "list-functions.json");
    const fn = JSON.parse(fs.readFileSync(listFile, "utf8")).Functions.find((f: { FunctionName: string }) => f.FunctionName === "payments-processor");
    const values = Object.values(fn.Environment.Variables as Record<string, string>).filter((v) => v.length > 8);
    // When the report is read
    const text = fs.readFileSync(reportFile, "utf8");
    // Then it names the variables but contains none of their values
    expect(text).toContain("STRIPE_SECRET_KEY");
    for (const value of values) expect(text).not.toContain(value);
  });

  it("prints the stored report again with saltzer report", () => {
    // Given the stored scan
    // When the report is asked for without --scan
    const result = saltzer(["report", "--format", "json"], { SALTZER_DATA_DIR: dataDir });
    // Then it is the latest scan's report on stdout
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scan.id).toBe(1);
    expect(report.functions.length).toBe(sampleFunctionArns().length);
  });
});

describe("saltzer scan with bad input", () => {
  it("names the file and JSON path of a truncated file and stores nothing as complete", () => {
    // Given a copy of the sample whose list-functions.json is truncated
    const copy = path.join(tmp, "broken");
    fs.cpSync(SAMPLE, copy, { recursive: true });
    const file = path.join(copy, "accounts", "222222222222", "regions", "us-east-1", "lambda", "list-functions.json");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const dataDir = path.join(tmp, "broken-data");
    // When it is scanned
    const result = saltzer(["scan", "--snapshot", copy, "--quiet"], { SALTZER_DATA_DIR: dataDir });
    // Then the scan fails naming the file, and no report can be made from it
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("accounts/222222222222/regions/us-east-1/lambda/list-functions.json");
    const report = saltzer(["report", "--format", "json"], { SALTZER_DATA_DIR: dataDir });
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/No complete scan/);
  });

  it("names the JSON path of a field with the wrong type", () => {
    // Given a copy of the sample where one function's Role is a number
    const copy = path.join(tmp, "wrong-type");
    fs.cpSync(SAMPLE, copy, { recursive: true });
    const file = path.join(copy, "accounts", "222222222222", "regions", "us-east-1", "lambda", "list-functions.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.Functions[1].Role = 42;
    fs.writeFileSync(file, JSON.stringify(json));
    // When it is scanned
    const result = saltzer(["scan", "--snapshot", copy, "--quiet"], { SALTZER_DATA_DIR: path.join(tmp, "wrong-type-data") });
    // Then the error names the file and $.Functions[1].Role
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("list-functions.json");
    expect(result.stderr).toContain("$.Functions[1].Role");
  });
});
