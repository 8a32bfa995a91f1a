import Link from "next/link";
import { LinkPending } from "@/components/link-pending";
import { notFound } from "next/navigation";
import { PolicyJson } from "@/components/policy-json";
import { SeverityBadge } from "@/components/severity-badge";
import { BlastRadiusPanel } from "../_components/blast-radius-panel";
import { CanItForm } from "../_components/can-it-form";
import { FindingsPanel } from "../_components/findings-panel";
import { PolicyStatements } from "../_components/policy-statements";
import { RecommendedPolicyPanel } from "../_components/recommended-policy";
import { TopBar } from "@/components/top-bar";
import { RoleLink } from "@/components/role-link";
import { getFunctionDetail } from "@/lib/queries/function-detail";
import { reachedFunctionsIn, REACH_PAGE_SIZE } from "@/lib/queries/reach";
import { getDb } from "@/lib/server/db";
import { resolveScan } from "@/lib/queries/scans";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

const KIND_LABEL = { inline: "inline", "customer-managed": "customer managed", "aws-managed": "AWS managed", boundary: "permission boundary" } as const;

export default async function FunctionPage({ params, searchParams }: { params: Promise<{ arn: string }>; searchParams: Promise<SearchParams> }) {
  const [{ arn }, query] = await Promise.all([params, searchParams]);
  const scan = await resolveScan(one(query, "scan"));
  if (!scan) notFound();
  const fn = await getFunctionDetail(scan.id, decodeURIComponent(arn));
  if (!fn) notFound();
  const reachPage = Math.max(1, Math.trunc(Number(one(query, "reach") ?? 1)) || 1);
  const reach = await reachedFunctionsIn(await getDb(), scan.id, fn.arn, { offset: (reachPage - 1) * REACH_PAGE_SIZE, limit: REACH_PAGE_SIZE });
  const reachPageHref = (page: number) => `${hrefWith(`/functions/${encodeURIComponent(fn.arn)}`, query, { reach: page > 1 ? page : undefined })}#reach-h`;
  return (
    <>
      <TopBar active="/functions" />
      <main className="page">
        <div className="crumbs">
          <Link href={`/functions?scan=${scan.id}`}>Functions</Link> / <bdi>{fn.accountName ?? fn.accountId}</bdi> / <bdi>{fn.region}</bdi>
        </div>
        <div className="page-head">
          <h1>
            <bdi>{fn.name}</bdi>
          </h1>
          <SeverityBadge severity={fn.severity} score={fn.riskScore} />
          {fn.isPublic ? <span className="badge public">public</span> : <span className="badge private">private</span>}
          {fn.incomplete.length > 0 ? <span className="badge incomplete">incomplete data</span> : null}
          <span className="sub mono">{fn.arn}</span>
          <Link className="button secondary head-action" href={`/functions/${encodeURIComponent(fn.arn)}/graph?scan=${scan.id}`}>
            <LinkPending>Permission graph</LinkPending>
          </Link>
        </div>
        {fn.incomplete.length > 0 ? (
          <section className="panel notice-panel" aria-labelledby="incomplete-h" data-testid="incomplete">
            <h2 id="incomplete-h">Incomplete data: this verdict may miss what the scan could not read</h2>
            <ul className="plain">
              {fn.incomplete.map((i) => (
                <li key={`${i.api}|${i.reason}`}>
                  <code>{i.api}</code> {i.reason}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {fn.risk ? (
          <section className="panel" aria-labelledby="risk-h">
            <h2 id="risk-h">
              Risk {fn.risk.score}/100 <SeverityBadge severity={fn.severity} />
            </h2>
            <ul className="plain risk-why">
              {fn.risk.explanation.map((line, i) => (
                <li key={i}>
                  <bdi>{line}</bdi>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section className="panel" aria-labelledby="findings-h">
          <h2 id="findings-h">Findings ({fn.findings.filter((f) => !f.suppression).length})</h2>
          <FindingsPanel findings={fn.findings} path={`/functions/${encodeURIComponent(fn.arn)}`} />
        </section>
        {fn.blastRadius ? (
          <section className="panel" aria-labelledby="blast-h">
            <h2 id="blast-h">Blast radius: what a compromised <bdi>{fn.name}</bdi> can do</h2>
            <BlastRadiusPanel blast={fn.blastRadius} scanId={scan.id} reach={reach} reachPageHref={reachPageHref} />
          </section>
        ) : null}
        {fn.recommendedPolicy ? (
          <section className="panel" aria-labelledby="rec-h">
            <h2 id="rec-h">Recommended least-privilege policy</h2>
            <RecommendedPolicyPanel policy={fn.recommendedPolicy} sharedWith={fn.role.sharedWith} />
          </section>
        ) : null}
        <section className="panel" aria-labelledby="can-h">
          <h2 id="can-h">Can it?</h2>
          <p className="muted">Ask the policy simulator whether this function can perform an action on a resource, with the statements that decide it.</p>
          <CanItForm scanId={scan.id} functionArn={fn.arn} />
        </section>
        <div className="grid-2">
          <section className="panel" aria-labelledby="config-h">
            <h2 id="config-h">Configuration</h2>
            <dl className="kv">
              <dt>Account</dt>
              <dd>{fn.accountName ? <><bdi>{fn.accountName}</bdi> ({fn.accountId})</> : fn.accountId}</dd>
              <dt>Region</dt>
              <dd>{fn.region}</dd>
              <dt>Runtime</dt>
              <dd>{fn.runtime ?? "container image"}</dd>
              <dt>Handler</dt>
              <dd>{fn.handler ?? "—"}</dd>
              <dt>Memory / timeout</dt>
              <dd>
                {fn.memorySize ?? "—"} MB / {fn.timeout ?? "—"} s
              </dd>
              <dt>Log group</dt>
              <dd className="mono">{fn.logGroup}</dd>
              <dt>Tracing</dt>
              <dd>{fn.tracingMode ?? "—"}</dd>
              <dt>VPC</dt>
              <dd>{fn.vpc ? `${fn.vpc.vpcId ?? "vpc"} (${fn.vpc.subnetIds.length} subnets)` : "—"}</dd>
              <dt>Dead-letter target</dt>
              <dd className="mono">{fn.deadLetterTargetArn ?? "—"}</dd>
              <dt>KMS key</dt>
              <dd className="mono">{fn.kmsKeyArn ?? "—"}</dd>
              <dt>Layers</dt>
              <dd className="mono">{fn.layers.length ? fn.layers.join(", ") : "—"}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="env-h">
            <h2 id="env-h">Environment variables</h2>
            <p className="muted">Names only: Saltzer never stores or shows values.</p>
            {fn.environment.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ul className="plain">
                {fn.environment.map((v) => (
                  <li key={v.name}>
                    <code>{v.name}</code> {v.looksSecret ? <span className="badge secret" title={v.secretReason ?? undefined}>looks like a secret: {v.secretReason}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <section className="panel" aria-labelledby="role-h">
          <h2 id="role-h">
            Execution role <RoleLink arn={fn.role.arn} name={fn.role.name} scanId={fn.scanId} />
          </h2>
          <p className="mono muted">{fn.role.arn}</p>
          {fn.role.sharedWith.length > 0 ? (
            <p className="notice">
              Shared with {fn.role.sharedWith.length} other function{fn.role.sharedWith.length > 1 ? "s" : ""}:{" "}
              {fn.role.sharedWith.map((s, i) => (
                <span key={s.arn}>
                  {i > 0 ? ", " : ""}
                  <Link href={`/functions/${encodeURIComponent(s.arn)}?scan=${fn.scanId}`}>{s.name}</Link>
                </span>
              ))}
            </p>
          ) : null}
          {fn.policies.length === 0 ? <p className="muted">No policies attached.</p> : null}
          {fn.policies.map((p) => (
            <details className="policy" key={`${p.kind}:${p.arn ?? p.name}`}>
              <summary>
                <bdi>{p.name}</bdi> <span className="badge kind">{KIND_LABEL[p.kind]}</span>
                {p.flaggedStatements.length > 0 ? <span className="badge sev-high">{p.flaggedStatements.length} statement(s) cause findings</span> : null}
              </summary>
              {p.arn ? <p className="mono muted">{p.arn}</p> : null}
              <PolicyStatements document={p.document} flagged={p.flaggedStatements} />
            </details>
          ))}
          <details className="policy">
            <summary>Trust policy</summary>
            <PolicyJson document={fn.role.trustPolicy} />
          </details>
        </section>
        <div className="grid-2">
          <section className="panel" aria-labelledby="rp-h">
            <h2 id="rp-h">Resource policy (who may invoke)</h2>
            {fn.resourcePolicy ? <PolicyJson document={fn.resourcePolicy} /> : <p className="muted">None: only principals of this account with IAM permission can invoke.</p>}
            <h2>Function URL</h2>
            {fn.urls.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ul className="plain">
                {fn.urls.map((u) => (
                  <li key={u.url}>
                    <code>{u.url}</code> {u.authType === "NONE" ? <span className="badge public">AuthType NONE: anyone on the internet</span> : <span className="badge private">AWS_IAM</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="es-h">
            <h2 id="es-h">Event sources</h2>
            {fn.eventSources.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <ul className="plain">
                {fn.eventSources.map((e) => (
                  <li key={e.uuid}>
                    <code>{e.eventSourceArn ?? "self-managed source"}</code> <span className="muted">({e.state ?? "unknown state"}, batch {e.batchSize ?? "—"})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </main>
    </>
  );
}
