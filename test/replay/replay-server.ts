/**
 * Test and bench support, not product code: a local AWS "replay" server that serves an offline snapshot
 * directory (samples/acme) through the real wire protocols, so the crawler runs through the
 * real SDK clients (endpoint override): Lambda REST-JSON, IAM / STS Query-XML, Organizations
 * JSON 1.1, EC2 Query-XML. Pagination is real and small (page size 5 by default).
 *
 * Identity: the caller's account is the 12 digits in the SigV4 credential scope's access key id;
 * AssumeRole hands out `ASIAREPLAY<account>` keys. Signatures are not verified. The region is the
 * credential scope's. Faults (throttling, AccessDenied, 5xx, latency, dropped connections,
 * disabled regions) are injected from a seeded PRNG so runs are repeatable.
 *
 * Rate limits (optional) work as AWS's do: a token bucket per (caller account, region, service),
 * and a request beyond it is answered with the protocol's throttling error, which the SDK retries.
 */
import { readFile, readdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface ReplayFaults {
  /** Share (0..1) of requests answered with the protocol's throttling error. */
  throttleRate?: number;
  /** Share of requests answered with a 5xx. */
  serverErrorRate?: number;
  /** Share of requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** Added latency per request, ms (a number, or [min, max]). */
  latencyMs?: number | [number, number];
  /** AccessDenied for an API (`lambda:GetPolicy`, `sts:AssumeRole` …), optionally only for one account (AssumeRole: the target account). */
  accessDenied?: { api: string; accountId?: string }[];
  /** Opt-in regions not enabled: every regional call there fails authentication. */
  disabledRegions?: { region: string; accountId?: string }[];
  /** Answers a well-formed response edited by `edit` (a member removed, a wrong type): the reader must reject it. */
  invalidResponses?: { api: string; accountId?: string; region?: string; edit: (result: Record<string, unknown>) => void }[];
  /** Answers HTTP 200 with a body that is not the protocol's JSON/XML. */
  unparseable?: { api: string; accountId?: string }[];
  /** Answers an error the crawler has no reason to expect (ValidationException: a request of ours was wrong). */
  unexpectedErrors?: { api: string; accountId?: string }[];
  /** Seed of the fault PRNG; 1 by default. */
  seed?: number;
}

/**
 * Requests per second per (caller account, region, service), with `burst` tokens at most; by
 * default two seconds' worth (at least 2), so a client sending at the rate is not throttled for a
 * request that arrives a little early, as AWS's buckets also hold more than one second's rate.
 */
export interface ReplayRateLimits {
  ratePerSecond: number;
  /** Other rates for some services (`{ sts: 50 }`). */
  services?: Record<string, number>;
  burst?: number;
}

export interface ReplayServerOptions {
  /** Items per page of every paginated answer; 5 by default. */
  pageSize?: number;
  faults?: ReplayFaults;
  rateLimits?: ReplayRateLimits;
}

/** The least time the requests answered so far needed under the rate limits, accounts and regions in parallel. */
export interface RateBound {
  /** max over buckets of (requests answered ÷ the bucket's rate). */
  seconds: number;
  /** The bucket that sets it: `account|region|service`. */
  bucket: string;
  requests: number;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Static credentials of `accountId` (base credentials for the crawler). */
  credentialsFor(accountId: string): { accessKeyId: string; secretAccessKey: string };
  /** Requests received per API (`lambda:ListFunctions` …), faults included. */
  readonly calls: Map<string, number>;
  /** Total requests received. */
  readonly requests: number;
  /** Requests answered with a throttling error because a rate limit was exceeded. */
  readonly rateLimited: number;
  /** With rate limits: the API-rate bound of the requests answered so far. */
  rateBound(): RateBound | null;
  setFaults(faults: ReplayFaults): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

class ReplayError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startReplayServer(dir: string, options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const files = await loadSnapshot(dir);
  const pageSize = options.pageSize ?? 5;
  let faults: ReplayFaults = options.faults ?? {};
  let random = mulberry32(faults.seed ?? 1);
  const calls = new Map<string, number>();
  let requests = 0;
  const lastAccessedPolls = new Map<string, number>();
  const limits = options.rateLimits;
  const buckets = new Map<string, { tokens: number; at: number; answered: number; rate: number }>();
  let rateLimited = 0;
  /** Takes a token from the caller's bucket; false when it is empty (the request is throttled). */
  const admit = (key: string, service: string): boolean => {
    if (!limits) return true;
    const rate = limits.services?.[service] ?? limits.ratePerSecond;
    const burst = limits.burst ?? Math.max(2, Math.ceil(2 * rate));
    const now = performance.now();
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { tokens: burst, at: now, answered: 0, rate }));
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    bucket.answered++;
    return true;
  };

  const file = (rel: string) => files.get(rel) as Json | undefined;
  const accountRegions = (accountId: string) =>
    [...new Set([...files.keys()].filter((k) => k.startsWith(`accounts/${accountId}/regions/`)).map((k) => k.split("/")[3]))].sort();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`replay server bug: ${error instanceof Error ? error.stack : String(error)}`);
        }
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    requests++;
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
    if (!scope) return void send(res, 403, { "content-type": "text/plain" }, "missing SigV4 Authorization header");
    const [, accessKeyId, region, service] = scope;
    const callerAccount = /(\d{12})/.exec(accessKeyId)?.[1];
    const url = new URL(req.url ?? "/", "http://replay");
    const form = new URLSearchParams(req.headers["content-type"]?.includes("x-www-form-urlencoded") ? body : "");
    const target = req.headers["x-amz-target"];
    const protocol: Protocol = typeof target === "string" ? "json" : form.get("Action") ? (service === "ec2" ? "ec2" : "query") : "rest-json";
    const action = typeof target === "string" ? target.split(".")[1] : (form.get("Action") ?? lambdaAction(req.method ?? "GET", url.pathname));
    const api = `${service}:${action}`;
    calls.set(api, (calls.get(api) ?? 0) + 1);

    const latency = faults.latencyMs;
    if (latency) await new Promise((r) => setTimeout(r, Array.isArray(latency) ? latency[0] + random() * (latency[1] - latency[0]) : latency));
    if (random() < (faults.dropRate ?? 0)) return void req.socket.destroy();

    try {
      if (!callerAccount) throw new ReplayError(protocol === "ec2" ? "AuthFailure" : "InvalidClientTokenId", 403, "The security token included in the request is invalid.");
      if (!admit(`${callerAccount}|${region}|${service}`, service)) {
        rateLimited++;
        throw throttling(protocol);
      }
      if (random() < (faults.throttleRate ?? 0)) throw throttling(protocol);
      if (random() < (faults.serverErrorRate ?? 0)) throw new ReplayError(protocol === "ec2" ? "InternalError" : protocol === "query" ? "ServiceFailure" : "ServiceException", 500, "We encountered an internal error. Please try again.");
      if ((service === "lambda" || service === "ec2") && faults.disabledRegions?.some((d) => d.region === region && (!d.accountId || d.accountId === callerAccount)))
        throw new ReplayError(service === "ec2" ? "AuthFailure" : "UnrecognizedClientException", 403, "The security token included in the request is invalid.");
      const deniedAccount = api === "sts:AssumeRole" ? /:(\d{12}):/.exec(form.get("RoleArn") ?? "")?.[1] : callerAccount;
      if (faults.accessDenied?.some((d) => d.api === api && (!d.accountId || d.accountId === deniedAccount)))
        throw accessDenied(protocol, api, callerAccount, form.get("RoleArn"));

      const matches = (f: { api: string; accountId?: string; region?: string }) => f.api === api && (!f.accountId || f.accountId === callerAccount) && (!f.region || f.region === region);
      if (faults.unexpectedErrors?.some(matches)) throw new ReplayError("ValidationException", 400, `1 validation error detected: a parameter of ${action} is invalid`);
      if (faults.unparseable?.some(matches)) return void send(res, 200, { "content-type": "application/json" }, "<html><body>Service temporarily rewritten by a proxy</body></html>\n");
      const params: Params = protocol === "json" ? (JSON.parse(body || "{}") as Json) : protocol === "rest-json" ? Object.fromEntries(url.searchParams) : Object.fromEntries(form);
      let result = answer(api, params, { callerAccount, region, pathname: url.pathname });
      const edits = (faults.invalidResponses ?? []).filter(matches);
      // Edit a copy: answers share objects with the loaded snapshot.
      if (edits.length > 0) result = structuredClone(result);
      for (const fault of edits) fault.edit(result);
      if (protocol === "rest-json" || protocol === "json") {
        send(res, 200, { "content-type": protocol === "json" ? "application/x-amz-json-1.1" : "application/json", "x-amzn-requestid": requestId() }, JSON.stringify(jsonTimestamps(result)));
      } else if (protocol === "ec2") {
        send(res, 200, { "content-type": "text/xml" }, ec2Xml(action, result));
      } else {
        send(res, 200, { "content-type": "text/xml" }, queryXml(service, action, result));
      }
    } catch (error) {
      if (!(error instanceof ReplayError)) throw error;
      sendError(res, protocol, service, error);
    }
  }

  type Params = Record<string, unknown>;
  interface Ctx {
    callerAccount: string;
    region: string;
    pathname: string;
  }

  function answer(api: string, p: Params, ctx: Ctx): Json {
    const { callerAccount: account, region } = ctx;
    const lambdaDir = `accounts/${account}/regions/${region}/lambda`;
    const org = () => {
      const description = file("organizations/describe-organization.json");
      const master = (description?.Organization as Json | undefined)?.MasterAccountId;
      if (!description) throw new ReplayError("AWSOrganizationsNotInUseException", 400, "Your account is not a member of an organization.");
      if (master !== account) throw new ReplayError("AccessDeniedException", 400, "You don't have permissions to access this resource.");
      return description;
    };
    const required = (rel: string, code: string, status: number, message: string): Json => {
      const value = file(rel);
      if (!value) throw new ReplayError(code, status, message);
      return value;
    };
    switch (api) {
      // STS --------------------------------------------------------------------------------
      case "sts:GetCallerIdentity":
        return { UserId: "AIDAREPLAY", Account: account, Arn: `arn:aws:iam::${account}:user/replay-auditor` };
      case "sts:AssumeRole": {
        const roleArn = String(p.RoleArn ?? "");
        const target = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
        if (!target || !files.has(`accounts/${target[1]}/iam/get-account-authorization-details.json`))
          throw new ReplayError("AccessDenied", 403, `User: arn:aws:iam::${account}:user/replay-auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
        return {
          Credentials: { AccessKeyId: `ASIAREPLAY${target[1]}`, SecretAccessKey: "replay-secret", SessionToken: "replay-session", Expiration: new Date(Date.now() + 3600_000).toISOString() },
          AssumedRoleUser: { AssumedRoleId: `AROAREPLAY:${p.RoleSessionName}`, Arn: `arn:aws:sts::${target[1]}:assumed-role/${target[2]}/${p.RoleSessionName}` },
        };
      }
      // EC2 ------------------------------------------------------------------------------
      case "ec2:DescribeRegions":
        return {
          regionInfo: accountRegions(account)
            .filter((r) => !faults.disabledRegions?.some((d) => d.region === r && (!d.accountId || d.accountId === account)))
            .map((r) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: "opt-in-not-required" })),
        };
      // Organizations --------------------------------------------------------------------
      case "organizations:DescribeOrganization":
        return org();
      case "organizations:ListAccounts":
        org();
        return page("Accounts", (file("organizations/list-accounts.json")?.Accounts as unknown[]) ?? [], p.NextToken, "NextToken");
      case "organizations:ListRoots":
        org();
        return page("Roots", (file("organizations/list-roots.json")?.Roots as unknown[]) ?? [], p.NextToken, "NextToken");
      case "organizations:ListParents":
        org();
        return page("Parents", required(`organizations/list-parents/${p.ChildId}.json`, "ChildNotFoundException", 400, `child ${p.ChildId} not found`).Parents as unknown[], p.NextToken, "NextToken");
      case "organizations:ListPoliciesForTarget": {
        org();
        const policies = ((file(`organizations/list-policies-for-target/${p.TargetId}.json`)?.Policies as Json[]) ?? []).filter((x) => !p.Filter || !x.Type || x.Type === p.Filter);
        return page("Policies", policies, p.NextToken, "NextToken");
      }
      case "organizations:DescribePolicy":
        org();
        return required(`organizations/describe-policy/${p.PolicyId}.json`, "PolicyNotFoundException", 400, `policy ${p.PolicyId} not found`);
      // IAM ------------------------------------------------------------------------------
      case "iam:GetAccountAuthorizationDetails": {
        const details = required(`accounts/${account}/iam/get-account-authorization-details.json`, "AccessDenied", 403, "no such account in the replay snapshot");
        const lists = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"] as const;
        const items = lists.flatMap((list) => ((details[list] as unknown[]) ?? []).map((item) => ({ list, item })));
        const start = Number(p.Marker ?? 0);
        const size = Math.min(pageSize, Number(p.MaxItems ?? pageSize));
        const slice = items.slice(start, start + size);
        const out: Json = Object.fromEntries(lists.map((list) => [list, slice.filter((s) => s.list === list).map((s) => iamEncodeDocuments(s.item))]));
        out.IsTruncated = start + size < items.length;
        if (out.IsTruncated) out.Marker = String(start + size);
        return out;
      }
      case "iam:GenerateServiceLastAccessedDetails": {
        const arn = String(p.Arn ?? "");
        const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
        if (!role || role[1] !== account) throw new ReplayError("InvalidInput", 400, `invalid ARN ${arn}`);
        const jobId = Buffer.from(`${account}|${role[2]}|${Math.random()}`).toString("base64url");
        return { JobId: jobId };
      }
      case "iam:GetServiceLastAccessedDetails": {
        const jobId = String(p.JobId ?? "");
        const [jobAccount, roleName] = Buffer.from(jobId, "base64url").toString("utf8").split("|");
        if (jobAccount !== account || !roleName) throw new ReplayError("NoSuchEntity", 404, `job ${jobId} not found`);
        // The first poll finds the job still running, as AWS usually does.
        const polls = (lastAccessedPolls.get(jobId) ?? 0) + 1;
        lastAccessedPolls.set(jobId, polls);
        const now = new Date().toISOString();
        if (polls === 1 && !p.Marker) return { JobStatus: "IN_PROGRESS", JobType: "ACTION_LEVEL", JobCreationDate: now, ServicesLastAccessed: [], IsTruncated: false };
        const details = file(`accounts/${account}/iam/service-last-accessed/${roleName}.json`) ?? { JobStatus: "COMPLETED", JobType: "ACTION_LEVEL", JobCreationDate: now, JobCompletionDate: now, ServicesLastAccessed: [] };
        const { ServicesLastAccessed, ...rest } = details;
        const paged = page("ServicesLastAccessed", (ServicesLastAccessed as unknown[]) ?? [], p.Marker, "Marker");
        return { ...rest, ...paged, IsTruncated: paged.Marker !== undefined };
      }
      // Lambda ---------------------------------------------------------------------------
      case "lambda:ListFunctions":
        return page("Functions", (file(`${lambdaDir}/list-functions.json`)?.Functions as unknown[]) ?? [], p.Marker, "NextMarker", p.MaxItems);
      case "lambda:ListEventSourceMappings":
        return page("EventSourceMappings", (file(`${lambdaDir}/list-event-source-mappings.json`)?.EventSourceMappings as unknown[]) ?? [], p.Marker, "NextMarker", p.MaxItems);
      case "lambda:GetPolicy": {
        const name = functionName(ctx.pathname);
        assertFunctionExists(lambdaDir, name, account, region);
        return required(`${lambdaDir}/get-policy/${name}.json`, "ResourceNotFoundException", 404, "The resource you requested does not exist.");
      }
      case "lambda:ListFunctionUrlConfigs": {
        const name = functionName(ctx.pathname);
        assertFunctionExists(lambdaDir, name, account, region);
        return page("FunctionUrlConfigs", (file(`${lambdaDir}/list-function-url-configs/${name}.json`)?.FunctionUrlConfigs as unknown[]) ?? [], p.Marker, "NextMarker", p.MaxItems);
      }
      default:
        throw new ReplayError("InvalidAction", 400, `the replay server does not implement ${api}`);
    }
  }

  function assertFunctionExists(lambdaDir: string, name: string, account: string, region: string): void {
    const functions = (file(`${lambdaDir}/list-functions.json`)?.Functions as Json[]) ?? [];
    if (!functions.some((f) => f.FunctionName === name)) throw new ReplayError("ResourceNotFoundException", 404, `Function not found: arn:aws:lambda:${region}:${account}:function:${name}`);
  }

  /** One page of `items` from an opaque numeric token. */
  function page(key: string, items: unknown[], token: unknown, nextKey: string, maxItems?: unknown): Json {
    const start = token ? Number(Buffer.from(String(token), "base64url").toString("utf8")) : 0;
    const size = Math.min(pageSize, maxItems ? Number(maxItems) : pageSize);
    const out: Json = { [key]: items.slice(start, start + size) };
    if (start + size < items.length) out[nextKey] = Buffer.from(String(start + size)).toString("base64url");
    return out;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentialsFor: (accountId) => ({ accessKeyId: `AKIAREPLAY${accountId}`, secretAccessKey: "replay-secret" }),
    calls,
    get requests() {
      return requests;
    },
    get rateLimited() {
      return rateLimited;
    },
    rateBound() {
      if (!limits) return null;
      let bound: RateBound = { seconds: 0, bucket: "", requests: 0 };
      for (const [key, b] of buckets) if (b.answered / b.rate > bound.seconds) bound = { seconds: b.answered / b.rate, bucket: key, requests: b.answered };
      return bound;
    },
    setFaults(next) {
      faults = next;
      random = mulberry32(next.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Protocols

type Protocol = "rest-json" | "json" | "query" | "ec2";

function lambdaAction(method: string, pathname: string): string {
  if (method === "GET" && /^\/2015-03-31\/functions\/?$/.test(pathname)) return "ListFunctions";
  if (method === "GET" && /^\/2015-03-31\/event-source-mappings\/?$/.test(pathname)) return "ListEventSourceMappings";
  if (method === "GET" && /^\/2015-03-31\/functions\/[^/]+\/policy\/?$/.test(pathname)) return "GetPolicy";
  if (method === "GET" && /^\/2021-10-31\/functions\/[^/]+\/urls\/?$/.test(pathname)) return "ListFunctionUrlConfigs";
  return `Unknown(${method} ${pathname})`;
}

function functionName(pathname: string): string {
  const raw = decodeURIComponent(pathname.split("/")[3] ?? "");
  // A function ARN is accepted in place of the name.
  return raw.startsWith("arn:") ? (raw.split(":")[6] ?? raw) : raw;
}

function throttling(protocol: Protocol): ReplayError {
  switch (protocol) {
    case "rest-json":
      return new ReplayError("TooManyRequestsException", 429, "Rate exceeded");
    case "json":
      return new ReplayError("TooManyRequestsException", 400, "AWS Organizations can't complete your request because another request is already in progress.");
    case "ec2":
      return new ReplayError("RequestLimitExceeded", 503, "Request limit exceeded.");
    case "query":
      return new ReplayError("Throttling", 400, "Rate exceeded");
  }
}

function accessDenied(protocol: Protocol, api: string, account: string | undefined, roleArn: string | null): ReplayError {
  const message = `User: arn:aws:iam::${account}:user/replay-auditor is not authorized to perform: ${api}${roleArn ? ` on resource: ${roleArn}` : ""}`;
  switch (protocol) {
    case "rest-json":
      return new ReplayError("AccessDeniedException", 403, message);
    case "json":
      return new ReplayError("AccessDeniedException", 400, message);
    case "ec2":
      return new ReplayError("UnauthorizedOperation", 403, "You are not authorized to perform this operation.");
    case "query":
      return new ReplayError("AccessDenied", 403, message);
  }
}

function sendError(res: http.ServerResponse, protocol: Protocol, service: string, error: ReplayError): void {
  const id = requestId();
  switch (protocol) {
    case "rest-json":
      return send(res, error.status, { "content-type": "application/json", "x-amzn-errortype": error.code, "x-amzn-requestid": id }, JSON.stringify({ Type: "User", message: error.message }));
    case "json":
      return send(res, error.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": id }, JSON.stringify({ __type: error.code, Message: error.message }));
    case "ec2":
      return send(res, error.status, { "content-type": "text/xml" }, `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`);
    case "query":
      return send(
        res,
        error.status,
        { "content-type": "text/xml" },
        `<ErrorResponse xmlns="${QUERY_NAMESPACES[service] ?? ""}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
      );
  }
}

const QUERY_NAMESPACES: Record<string, string> = {
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

function queryXml(service: string, action: string, result: Json): string {
  const inner = Object.entries(result)
    .map(([k, v]) => xmlElement(k, v, "member"))
    .join("");
  return `<${action}Response xmlns="${QUERY_NAMESPACES[service] ?? ""}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`;
}

function ec2Xml(action: string, result: Json): string {
  const inner = Object.entries(result)
    .map(([k, v]) => xmlElement(k, v, "item"))
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${inner}</${action}Response>`;
}

function xmlElement(name: string, value: unknown, listMember: string): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlElement(listMember, v, listMember)).join("")}</${name}>`;
  if (typeof value === "object")
    return `<${name}>${Object.entries(value as Json)
      .map(([k, v]) => xmlElement(k, v, listMember))
      .join("")}</${name}>`;
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const POLICY_DOCUMENT_KEYS = new Set(["AssumeRolePolicyDocument", "PolicyDocument", "Document"]);

/** IAM's raw API returns policy documents URL-encoded JSON (the CLI decodes them). */
function iamEncodeDocuments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(iamEncodeDocuments);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([k, v]) => [k, POLICY_DOCUMENT_KEYS.has(k) ? (typeof v === "string" ? v : encodeURIComponent(JSON.stringify(v))) : iamEncodeDocuments(v)]),
  );
}

// JSON protocols send timestamps as epoch seconds; the CLI prints them as ISO strings. Lambda's
// FunctionConfiguration.LastModified and URL CreationTime are plain strings in the model, so only
// these members (timestamps in the SDK model) are converted.
const JSON_TIMESTAMP_KEYS = new Set(["JoinedTimestamp", "LastModified", "StartingPositionTimestamp"]);

function jsonTimestamps(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => jsonTimestamps(v, parentKey));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([k, v]) => {
      const isTimestamp = JSON_TIMESTAMP_KEYS.has(k) && typeof v === "string" && (k !== "LastModified" || parentKey === "EventSourceMappings");
      return [k, isTimestamp ? Date.parse(v as string) / 1000 : jsonTimestamps(v, Array.isArray(v) ? k : parentKey)];
    }),
  );
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function requestId(): string {
  return `replay-${Math.random().toString(16).slice(2, 10)}`;
}

async function loadSnapshot(dir: string): Promise<Map<string, unknown>> {
  const root = path.resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, unknown>();
  await Promise.all(
    entries
      .filter((e) => e.isFile() && e.name.endsWith(".json"))
      .map(async (e) => {
        const full = path.join(e.parentPath, e.name);
        files.set(path.relative(root, full).split(path.sep).join("/"), JSON.parse(await readFile(full, "utf8")));
      }),
  );
  return files;
}

/** Small seeded PRNG (mulberry32): repeatable fault patterns. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
