/**
 * No environment variable value leaves the snapshot: canary values under many variable names,
 * harmless-looking ones included, are scanned end to end by the real CLI into a fresh embedded
 * database, then looked for in every database column, every report format, the CLI's output and
 * the function page's data. Only values that are resource identifiers, or name a resource the
 * snapshot holds in the function's account, survive, as that resource.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  authorizationDetails,
  BASIC_EXECUTION_ROLE_ARN,
  functionConfiguration,
  roleDetail,
  writeSnapshotFixture,
} from "@/lib/snapshot/test-fixtures";
import { saltzer, type CliResult } from "./test-support";

// The function page's query is server-only; here it runs in a plain Node process.
vi.mock("server-only", () => ({}));

const ACCOUNT = "222222222222";
const REGION = "us-east-1";
const MARKER = "qxcanary";

/** Unique canary values under variable names a detector might or might not find suspicious. */
const CANARIES: Record<string, string> = {
  DB_PASS: `${MARKER}-db-pass-0001`,
  SMTP_PASS: `${MARKER}-smtp-pass-0002`,
  SIGNING_SALT: `${MARKER}-signing-salt-0003`,
  SESSION_COOKIE_KEY: `${MARKER}-cookie-0004`,
  X: `${MARKER}-x-0005`,
  CONFIG: `${MARKER}-config-0006`,
  MODE: `${MARKER}-mode-0007`,
  TABLE: `${MARKER}-table-0008`,
  QUEUE_NAME: `${MARKER}-queue-0009`,
  BUCKET: `${MARKER}-bucket-0010`,
  TOPIC: `${MARKER}-topic-0011`,
  STREAM_NAME: `${MARKER}-stream-0012`,
  FUNCTION_NAME: `${MARKER}-function-0013`,
  ROLE_NAME: `${MARKER}-role-0014`,
  SECRET_ID: `${MARKER}-secret-0015`,
  KMS_KEY_ALIAS: `alias/${MARKER}-key-0016`,
  DB_USER: `${MARKER}_user_0017`,
  DB_HOST: `${MARKER}-db-0018.cluster-abc123.us-east-1.rds.amazonaws.com`,
  PARAM_PATH: `/${MARKER}/path-0019/db`,
  INDEX_NAME: `${MARKER}.index.0020`,
  GREETING: `Hello ${MARKER} 0021`,
  WEBHOOK_URL: `https://${MARKER}-0022.example.com/hook?x=1`,
  TARGETS: `${MARKER}-list-0023a,${MARKER}-list-0023b`,
  SETTINGS_JSON: `{"table":"${MARKER}-json-0024"}`,
  DB_PASSWORD: `${MARKER}-password-0025`,
  API_TOKEN: `${MARKER}-token-0026`,
  ES_ENDPOINT: `https://search-${MARKER}-0027-q2w3e4.us-east-1.es.amazonaws.com`,
  LOG_LEVEL: `${MARKER}Debug0028`,
};

const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-env-values-"));
const snapshotDir = path.join(tmp, "snapshot");
const dataDir = path.join(tmp, "data");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Does `text` hold any canary, however cased or punctuated (a policy Sid camel-cases a name)? */
function canariesIn(text: string): string[] {
  const found = Object.entries(CANARIES).filter(([, value]) => text.includes(value)).map(([name]) => name);
  if (found.length === 0 && text.toLowerCase().replace(/[^a-z0-9]/g, "").includes(MARKER)) found.push(`${MARKER} (reshaped)`);
  return found;
}

function expectNoCanary(where: string, text: string) {
  expect(canariesIn(text), `canary values found in ${where}`).toEqual([]);
}

function ok(result: CliResult, what: string): CliResult {
  expect(result.code, `${what} failed: ${result.stderr}`).toBe(0);
  return result;
}

const broad = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["s3:*", "dynamodb:*", "sqs:*", "sns:*", "kinesis:*", "secretsmanager:GetSecretValue", "ssm:GetParameter", "kms:Decrypt", "lambda:InvokeFunction", "iam:PassRole", "es:ESHttpGet"],
      Resource: "*",
    },
  ],
};

const outputs: { name: string; text: string }[] = [];

beforeAll(async () => {
  // Given an account whose function holds canary values, plus two values that are resources:
  // the ARN of a queue, and the name of a table the snapshot shows to exist (a stream source)
  const env = { ...CANARIES, TABLE_NAME: "orders", JOBS_QUEUE_ARN: QUEUE_ARN };
  const holderRole = roleDetail({ accountId: ACCOUNT, name: "holder-role", inline: { app: broad }, attached: [BASIC_EXECUTION_ROLE_ARN] });
  const readerRole = roleDetail({ accountId: ACCOUNT, name: "reader-role", attached: [BASIC_EXECUTION_ROLE_ARN] });
  const reader = functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "stream-reader", roleArn: readerRole.Arn });
  await writeSnapshotFixture(snapshotDir, {
    accounts: {
      [ACCOUNT]: {
        authorizationDetails: authorizationDetails({ roles: [holderRole, readerRole] }),
        regions: {
          [REGION]: {
            listFunctions: { Functions: [functionConfiguration({ accountId: ACCOUNT, region: REGION, name: "env-holder", roleArn: holderRole.Arn, env }), reader] },
            listEventSourceMappings: {
              EventSourceMappings: [{ UUID: "5e1f0000-0000-0000-0000-000000000001", FunctionArn: reader.FunctionArn, EventSourceArn: `${TABLE_ARN}/stream/2024-01-01T00:00:00.000`, State: "Enabled", BatchSize: 100 }],
            },
          },
        },
      },
    },
  });

  // When it is scanned into a fresh embedded database, gated, and reported in every format
  const cli = (args: string[]) => saltzer(args, { SALTZER_DATA_DIR: dataDir });
  const scan = ok(cli(["scan", "--snapshot", snapshotDir]), "scan");
  outputs.push({ name: "scan stdout", text: scan.stdout }, { name: "scan stderr", text: scan.stderr });
  const check = cli(["check", "--snapshot", snapshotDir]);
  outputs.push({ name: "check stdout", text: check.stdout }, { name: "check stderr", text: check.stderr });
  for (const format of ["json", "csv", "sarif", "html"]) {
    const report = ok(cli(["report", "--format", format]), `report --format ${format}`);
    outputs.push({ name: `${format} report`, text: report.stdout }, { name: `${format} report stderr`, text: report.stderr });
  }
}, 900_000);

describe("environment variable values", () => {
  it("are scanned under more than 20 variable names", () => {
    expect(Object.keys(CANARIES).length).toBeGreaterThanOrEqual(20);
    // The canaries really are in the snapshot the scan read.
    const listed = JSON.parse(fs.readFileSync(path.join(snapshotDir, "accounts", ACCOUNT, "regions", REGION, "lambda", "list-functions.json"), "utf8"));
    expect(listed.Functions[0].Environment.Variables).toMatchObject(CANARIES);
  });

  it("appear in no report format and no CLI output", () => {
    // Then no report and no line the CLI printed carries a canary
    expect(outputs.map((o) => o.name)).toContain("html report");
    for (const { name, text } of outputs) expectNoCanary(name, text);
  });

  it("appear in no column of any database table, and not in the function page's data", async () => {
    // Then a dump of every table of the store holds no canary
    process.env.SALTZER_DATA_DIR = dataDir;
    const { getDbUnchecked } = await import("@/lib/server/db-unchecked");
    const { getFunctionDetail } = await import("@/lib/queries/function-detail");
    const db = await getDbUnchecked();
    try {
      const tables = await db.prisma.$queryRawUnsafe<{ table_schema: string; table_name: string }[]>(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
      );
      expect(tables.map((t) => t.table_name)).toContain("functions");
      let rows = 0;
      for (const { table_schema, table_name } of tables) {
        const dump = await db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${table_schema}"."${table_name}" t`);
        rows += dump.length;
        expectNoCanary(`table ${table_name}`, dump.map((r) => r.row).join("\n"));
      }
      expect(rows).toBeGreaterThan(0);

      // And the function page's data (what /functions/[arn] renders) names the variables without a value
      const scanId = (await db.prisma.scan.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
      const detail = await getFunctionDetail(scanId, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:env-holder`);
      expect(detail?.environment.map((v) => v.name)).toEqual(expect.arrayContaining(Object.keys(CANARIES)));
      expectNoCanary("function detail", JSON.stringify(detail));
    } finally {
      await db.close();
    }
  });

  it("that are a resource's ARN or name a table the snapshot holds still narrow the recommended policy", () => {
    // Then the recommendation for env-holder names the queue and the table, as their ARNs
    const report = JSON.parse(outputs.find((o) => o.name === "json report")?.text ?? "{}");
    const holder = report.functions.find((f: { name: string }) => f.name === "env-holder");
    const resources = JSON.stringify(holder.recommendedPolicy);
    expect(resources).toContain(QUEUE_ARN);
    expect(resources).toContain(TABLE_ARN);
  });
});
