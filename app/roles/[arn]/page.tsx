import Link from "next/link";
import { LinkPending } from "@/components/link-pending";
import { notFound } from "next/navigation";
import "@/components/registers.css";
import { PolicyJson } from "@/components/policy-json";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { getRoleDetail } from "@/lib/queries/role-detail";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";
import { PolicyStatements } from "../../functions/[arn]/_components/policy-statements";
import { RecommendedPolicyPanel } from "../../functions/[arn]/_components/recommended-policy";

export const dynamic = "force-dynamic";

const KIND_LABEL = { inline: "inline", "customer-managed": "customer managed", "aws-managed": "AWS managed", boundary: "permission boundary" } as const;
const LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"] as const;

export default async function RolePage({ params, searchParams }: { params: Promise<{ arn: string }>; searchParams: Promise<SearchParams> }) {
  const [{ arn }, query] = await Promise.all([params, searchParams]);
  const scan = await resolveScan(one(query, "scan"));
  if (!scan) notFound();
  const role = await getRoleDetail(scan.id, decodeURIComponent(arn));
  if (!role) notFound();
  const fnHref = (a: string) => `/functions/${encodeURIComponent(a)}?scan=${scan.id}`;
  const identity = role.policies.filter((p) => p.kind !== "boundary");
  const boundary = role.policies.find((p) => p.kind === "boundary") ?? null;
  const flaggedCount = role.policies.reduce((n, p) => n + p.flaggedStatements.length, 0);
  const first = role.functions[0] ?? null;
  return (
    <>
      <TopBar active="/roles" />
      <main className="page role-page">
        <div className="crumbs">
          <Link href={`/roles?scan=${scan.id}`}>Roles</Link> / <bdi>{role.accountName ?? role.accountId}</bdi>
        </div>
        <div className="page-head">
          <h1>
            <bdi>{role.name}</bdi>
          </h1>
          {role.functions.length > 1 ? <span className="badge shared">shared by {role.functions.length} functions</span> : null}
          {role.boundaryArn ? <span className="badge kind">boundary</span> : null}
          <span className="sub mono">{role.arn}</span>
          {first ? (
            <Link className="button secondary head-action" href={`/functions/${encodeURIComponent(first.arn)}/graph?scan=${scan.id}`}>
              <LinkPending>Permission graph</LinkPending>
            </Link>
          ) : null}
        </div>

        <section className="panel" aria-labelledby="fns-h">
          <h2 id="fns-h">Functions executing as this role ({role.functions.length})</h2>
          {role.functions.length === 0 ? (
            <p className="muted">No function of this scan executes as this role.</p>
          ) : (
            <ul className="plain role-functions">
              {role.functions.map((f) => (
                <li key={f.arn} data-function={f.name}>
                  <SeverityBadge severity={f.severity} score={f.riskScore} />{" "}
                  <Link className="fn-name" href={fnHref(f.arn)}>
                    <bdi>{f.name}</bdi>
                  </Link>{" "}
                  <span className="muted">{f.region}</span> {f.isPublic ? <span className="badge public">public</span> : null}
                  {f.incomplete ? <span className="badge incomplete">incomplete data</span> : null}
                  {f.findings.length === 0 ? (
                    <span className="muted"> · no findings{f.suppressedCount ? ` (${f.suppressedCount} suppressed)` : ""}</span>
                  ) : (
                    <ul className="plain">
                      {f.findings.map((x, i) => (
                        <li key={`${x.ruleId}-${i}`}>
                          <SeverityBadge severity={x.severity} /> <bdi>{x.title}</bdi> <span className="badge kind">{x.category}</span>
                        </li>
                      ))}
                      {f.suppressedCount ? <li className="muted">{f.suppressedCount} suppressed</li> : null}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>

        {role.recommendation ? (
          <section className="panel" aria-labelledby="rec-h">
            <h2 id="rec-h">Recommended least-privilege policy</h2>
            <p className="muted">
              One policy for the role, covering {role.recommendation.functionCount === 1 ? "its function" : `all ${role.recommendation.functionCount} of its functions`}: the same recommendation each
              function&apos;s page shows.
            </p>
            <RecommendedPolicyPanel policy={role.recommendation.policy} onRolePage />
          </section>
        ) : null}

        <section className="panel" aria-labelledby="pol-h">
          <h2 id="pol-h">
            Policies {flaggedCount > 0 ? <span className="badge sev-high">{flaggedCount} statement(s) cause findings</span> : null}
          </h2>
          {identity.length === 0 ? <p className="muted">No identity policies attached.</p> : null}
          {identity.map((p) => (
            <details className="policy" key={`${p.kind}:${p.arn ?? p.name}`} open={p.flaggedStatements.length > 0}>
              <summary>
                <bdi>{p.name}</bdi> <span className="badge kind">{KIND_LABEL[p.kind]}</span>
                {p.flaggedStatements.length > 0 ? <span className="badge sev-high">{p.flaggedStatements.length} statement(s) cause findings</span> : null}
              </summary>
              {p.arn ? <p className="mono muted">{p.arn}</p> : null}
              <PolicyStatements document={p.document} flagged={p.flaggedStatements} />
            </details>
          ))}
        </section>

        <div className="role-grid">
          <section className="panel" aria-labelledby="trust-h">
            <h2 id="trust-h">Trust policy (who may assume it)</h2>
            <PolicyJson document={role.trustPolicy} />
          </section>
          <section className="panel" aria-labelledby="bound-h">
            <h2 id="bound-h">Permission boundary</h2>
            {boundary ? (
              <>
                <p>
                  <bdi>{boundary.name}</bdi> <span className="mono muted">{boundary.arn}</span>
                </p>
                <PolicyStatements document={boundary.document} flagged={boundary.flaggedStatements} />
              </>
            ) : (
              <p className="muted">None: the role&apos;s policies are limited only by the SCPs below.</p>
            )}
          </section>
        </div>

        <section className="panel" aria-labelledby="scp-h">
          <h2 id="scp-h">Service control policies that apply</h2>
          {role.scps === null ? (
            <p className="muted">The scan read no organization: no SCPs are known for this account.</p>
          ) : role.managementAccount ? (
            <p className="muted">None: {role.accountId} is the organization&apos;s management account, which SCPs do not restrict.</p>
          ) : role.scps.length === 0 ? (
            <p className="muted">None found above account {role.accountId}.</p>
          ) : (
            role.scps.map((level) => (
              <div key={level.targetId}>
                <h3 className="subhead">
                  {level.kind} <code>{level.targetId}</code>
                </h3>
                {level.policies.length === 0 ? <p className="muted">No SCP attached at this level.</p> : null}
                {level.policies.map((p) => (
                  <details className="policy" key={p.arn}>
                    <summary>
                      <bdi>{p.name}</bdi> {p.awsManaged ? <span className="badge kind">AWS managed</span> : null}
                    </summary>
                    <p className="mono muted">{p.arn}</p>
                    <PolicyJson document={p.document} />
                  </details>
                ))}
              </div>
            ))
          )}
        </section>

        <section className="panel" aria-labelledby="eff-h">
          <h2 id="eff-h">
            Effective permissions{role.totals ? `: ${role.totals.actions.toLocaleString("en-US")} actions in ${role.totals.services} services` : ""}
          </h2>
          <p className="muted">After denies, the permission boundary and every SCP level, by service and access level (the same for every function of the role).</p>
          {role.services.length === 0 ? (
            <p className="muted">{role.totals ? "None." : "Not analysed: no function of this scan executes as this role."}</p>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Effective permissions (scrolls sideways on narrow screens)">
              <table className="data compact levels" aria-label="Effective permissions by service and access level">
                <thead>
                  <tr>
                    <th>Service</th>
                    {LEVELS.map((l) => (
                      <th key={l}>{l}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {role.services.map((s) => (
                    <tr key={s.service}>
                      <td>
                        <code>{s.service}</code>
                      </td>
                      {LEVELS.map((l) => {
                        const level = s.levels.find((x) => x.level === l);
                        if (!level || level.actionCount === 0) return <td key={l} className="muted">–</td>;
                        return (
                          <td key={l}>
                            <details>
                              <summary>{level.actionCount}</summary>
                              <ul className="plain mono">
                                {level.actions.map((a) => (
                                  <li key={a}>{a}</li>
                                ))}
                                {level.actionCount > level.actions.length ? <li className="muted">… and {level.actionCount - level.actions.length} more</li> : null}
                              </ul>
                              <span className="muted">on {level.resources.slice(0, 5).join(", ")}{level.resources.length > 5 ? ", …" : ""}</span>
                            </details>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="panel" aria-labelledby="graph-h">
          <h2 id="graph-h">Graph</h2>
          {first ? (
            <p>
              The permission graph is drawn per function: <Link href={`/functions/${encodeURIComponent(first.arn)}/graph?scan=${scan.id}`}><LinkPending>open the graph of {first.name}</LinkPending></Link>
              {role.functions.length > 1 ? ", the riskiest of its functions," : ""} which shows this role, its policies and everything it reaches. The role&apos;s own edges:
            </p>
          ) : (
            <p className="muted">No function executes as this role, so it has no graph of its own. Its edges:</p>
          )}
          {role.edges.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain" aria-label="Role edges">
              {role.edges.map((e, i) => (
                <li key={`${e.kind}|${e.to}|${i}`}>
                  <span className="badge kind">{e.kind}</span> <code>{e.to}</code> <span className="muted">— {e.shortReason}{e.conditional ? " (conditional)" : ""}</span>
                </li>
              ))}
              {role.edgeCount > role.edges.length ? <li className="muted">… and {role.edgeCount - role.edges.length} more edges</li> : null}
            </ul>
          )}
        </section>

        <section className="panel" aria-labelledby="about-h">
          <h2 id="about-h">About</h2>
          <dl className="kv">
            <dt>Account</dt>
            <dd>{role.accountName ? <><bdi>{role.accountName}</bdi> ({role.accountId})</> : role.accountId}</dd>
            <dt>Path</dt>
            <dd className="mono">{role.path}</dd>
            <dt>Created</dt>
            <dd>{role.createDate ?? "—"}</dd>
            <dt>Last used</dt>
            <dd>{role.lastUsed ?? "—"}</dd>
          </dl>
        </section>
      </main>
    </>
  );
}
