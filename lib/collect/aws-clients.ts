/**
 * SDK clients for one crawl: per (account, region, service), with the account's credentials,
 * adaptive retries, a per-account-region token bucket on every attempt, and counters. They share
 * one pool of kept-alive connections: every account's Lambda client in a region talks to the same
 * host, so a connection (and its TLS handshake) serves them all rather than one each.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import https from "node:https";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from "@aws-sdk/types";
import { RateLimits } from "@/lib/collect/job-pool";
import { isThrottlingError } from "@/lib/collect/aws-errors";

/** Counters the crawl reports; `retries` = attempts beyond the first of each operation. */
export interface CallStats {
  /** HTTP attempts sent (first tries and retries). */
  apiCalls: number;
  /** SDK operations (one `send`), however many attempts each took. */
  operations: number;
  /** Attempts answered with a throttling error. */
  throttled: number;
}

/** Counters for one API (`lambda:ListFunctions`): attempts sent, retries among them, throttled answers. */
export interface ApiCallStats {
  apiCalls: number;
  retries: number;
  throttled: number;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * The calls one crawl job made, counted apart from the crawl's totals: a job's counts travel
 * with its result, so a crawl spread over several workers adds them up.
 */
export class JobCallStats {
  readonly totals: CallStats = { apiCalls: 0, operations: 0, throttled: 0 };
  readonly byApi: Record<string, { attempts: number; operations: number; throttled: number }> = {};

  api(name: string) {
    return (this.byApi[name] ??= { attempts: 0, operations: 0, throttled: 0 });
  }
}

const currentJob = new AsyncLocalStorage<JobCallStats>();

/** Runs `task` with every API call it makes (awaited or not) also counted in `stats`. */
export function countCallsIn<T>(stats: JobCallStats, task: () => Promise<T>): Promise<T> {
  return currentJob.run(stats, task);
}

export interface ClientSettings {
  /** Every client talks to this URL (tests: the replay server). */
  endpoint?: string;
  maxAttempts: number;
  /**
   * Requests per second per account, region and service (IAM, Organizations and STS count as
   * region `global`), as AWS sets its quotas per service.
   */
  ratePerSecond: number;
  /** Other rates for some services (`{ sts: 50 }`). */
  serviceRates?: Record<string, number>;
  signal?: AbortSignal;
  /** Replaces the SDK's adaptive retry strategy (tests: millisecond backoff). */
  retryStrategy?: RetryStrategyV2;
}

/** Region for the global services (IAM, Organizations) and for STS. */
export const GLOBAL_REGION = "us-east-1";

/**
 * Connections per host at most: every account's clients for one service and region share a host
 * (the SDK's default of 50 is per client). Requests beyond it wait for a connection, as they
 * already waited for a token.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 256 };

const SERVICE_PREFIX: Record<string, string> = { LambdaClient: "lambda", IAMClient: "iam", EC2Client: "ec2", OrganizationsClient: "organizations", STSClient: "sts" };

/** The SDK clients a crawl uses. */
const CLIENT_CLASSES = [LambdaClient, IAMClient, EC2Client, OrganizationsClient, STSClient] as const;

type AnyClient = InstanceType<(typeof CLIENT_CLASSES)[number]>;

/**
 * Loads the SDK clients a crawl uses. The compiled CLI loads each client package on first use
 * (scripts/build-dist.mjs), which keeps one-shot commands quick; a long-lived `saltzer worker`
 * loads them before it takes jobs, so its first crawl's jobs do not wait on ~0.4 s of compiling.
 */
export function loadAwsSdk(): void {
  for (const client of CLIENT_CLASSES) void client.prototype;
}

export class AwsClients {
  readonly stats: CallStats = { apiCalls: 0, operations: 0, throttled: 0 };
  private readonly limits = new Map<string, RateLimits>();
  private readonly cache = new Map<string, AnyClient>();
  private readonly byApi = new Map<string, { attempts: number; operations: number; throttled: number }>();
  private readonly agents = { httpAgent: new http.Agent(AGENT_OPTIONS), httpsAgent: new https.Agent(AGENT_OPTIONS) };

  constructor(private readonly settings: ClientSettings) {}

  private bucket(service: string, key: string) {
    let limits = this.limits.get(service);
    if (!limits) {
      limits = new RateLimits(this.settings.serviceRates?.[service] ?? this.settings.ratePerSecond);
      this.limits.set(service, limits);
    }
    return limits.bucket(key);
  }

  lambda(accountId: string, region: string, credentials: Credentials): LambdaClient {
    return this.client("lambda", accountId, region, () => new LambdaClient(this.config(region, credentials)), region);
  }

  ec2(accountId: string, region: string, credentials: Credentials): EC2Client {
    return this.client("ec2", accountId, region, () => new EC2Client(this.config(region, credentials)), region);
  }

  iam(accountId: string, credentials: Credentials): IAMClient {
    return this.client("iam", accountId, GLOBAL_REGION, () => new IAMClient(this.config(GLOBAL_REGION, credentials)), "global");
  }

  organizations(accountId: string, credentials: Credentials): OrganizationsClient {
    return this.client("organizations", accountId, GLOBAL_REGION, () => new OrganizationsClient(this.config(GLOBAL_REGION, credentials)), "global");
  }

  sts(accountId: string, credentials: Credentials): STSClient {
    return this.client("sts", accountId, GLOBAL_REGION, () => new STSClient(this.config(GLOBAL_REGION, credentials)), "global");
  }

  /** Per-API counters, sorted by API name. */
  statsByApi(): Record<string, ApiCallStats> {
    return Object.fromEntries(
      [...this.byApi.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([api, s]) => [api, { apiCalls: s.attempts, retries: s.attempts - s.operations, throttled: s.throttled }]),
    );
  }

  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  private config(region: string, credentials: Credentials) {
    return {
      region,
      credentials,
      endpoint: this.settings.endpoint,
      maxAttempts: this.settings.maxAttempts,
      retryMode: "adaptive" as const,
      requestHandler: this.agents,
      ...(this.settings.retryStrategy ? { retryStrategy: this.settings.retryStrategy } : {}),
    };
  }

  private client<C extends AnyClient>(service: string, accountId: string, region: string, create: () => C, limitRegion: string): C {
    const key = `${service}|${accountId}|${region}`;
    let client = this.cache.get(key) as C | undefined;
    if (!client) {
      client = create();
      this.instrument(client, this.bucket(service, `${accountId}|${limitRegion}`));
      this.cache.set(key, client);
    }
    return client;
  }

  private apiCounters(context: { clientName?: string; commandName?: string }) {
    const api = `${SERVICE_PREFIX[context.clientName ?? ""] ?? context.clientName ?? "unknown"}:${(context.commandName ?? "unknown").replace(/Command$/, "")}`;
    let counters = this.byApi.get(api);
    if (!counters) {
      counters = { attempts: 0, operations: 0, throttled: 0 };
      this.byApi.set(api, counters);
    }
    return counters;
  }

  private instrument(client: AnyClient, bucket: ReturnType<RateLimits["bucket"]>): void {
    const { stats, settings } = this;
    const counters = (context: unknown) => this.apiCounters(context as { clientName?: string; commandName?: string });
    const apiName = (context: unknown) => {
      const { clientName, commandName } = context as { clientName?: string; commandName?: string };
      return `${SERVICE_PREFIX[clientName ?? ""] ?? clientName ?? "unknown"}:${(commandName ?? "unknown").replace(/Command$/, "")}`;
    };
    const stack = client.middlewareStack as { add: (mw: unknown, options: unknown) => void; addRelativeTo: (mw: unknown, options: unknown) => void };
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: unknown) => async (args: unknown) => {
        stats.operations++;
        counters(context).operations++;
        const job = currentJob.getStore();
        if (job) {
          job.totals.operations++;
          job.api(apiName(context)).operations++;
        }
        return next(args);
      },
      { step: "initialize", name: "saltzerCountOperations", override: true },
    );
    // Inside the retry middleware, so it runs once per attempt: every attempt waits for a token.
    stack.addRelativeTo(
      (next: (args: unknown) => Promise<unknown>, context: unknown) => async (args: unknown) => {
        await bucket.take(settings.signal);
        stats.apiCalls++;
        const api = counters(context);
        api.attempts++;
        const job = currentJob.getStore();
        const jobApi = job?.api(apiName(context));
        if (job && jobApi) {
          job.totals.apiCalls++;
          jobApi.attempts++;
        }
        try {
          return await next(args);
        } catch (error) {
          if (isThrottlingError(error)) {
            stats.throttled++;
            api.throttled++;
            if (job && jobApi) {
              job.totals.throttled++;
              jobApi.throttled++;
            }
          }
          throw error;
        }
      },
      { relation: "after", toMiddleware: "retryMiddleware", name: "saltzerPerAttempt", override: true },
    );
  }
}
