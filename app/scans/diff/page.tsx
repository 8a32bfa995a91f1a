import Link from "next/link";
import { RoleLink } from "@/components/role-link";
import { notFound } from "next/navigation";
import { Pager } from "@/components/pager";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { diffScans, type FunctionChange } from "@/lib/queries/scan-diff";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

/** One function's changes: the same blocks `saltzer diff` prints. */
function ChangeItem({ c, from, to }: { c: FunctionChange; from: number; to: number }) {
  const scan = c.status === "removed" ? from : to;
  return (
    <li className="change" data-status={c.status}>
      <div>
        <strong>{c.status}</strong> <Link href={`/functions/${encodeURIComponent(c.arn)}?scan=${scan}`}><bdi>{c.name}</bdi></Link>{" "}
        <span className="muted">
          (role <RoleLink arn={c.roleArn} scanId={scan} />)
        </span>{" "}
        {c.riskBefore !== c.riskAfter ? (
          <span>
            risk {c.riskBefore ?? "—"} → <strong>{c.riskAfter ?? "—"}</strong>
          </span>
        ) : null}{" "}
        {c.severityBefore !== c.severityAfter ? (
          <span>
            <SeverityBadge severity={c.severityBefore} /> → <SeverityBadge severity={c.severityAfter} />
          </span>
        ) : null}
        {c.publicBefore !== c.publicAfter ? <span className="badge public">{c.publicAfter ? "became public" : "no longer public"}</span> : null}
        {c.becameIncomplete ? (
          <span className="badge incomplete" title={c.incompleteAfter.map((i) => `${i.api} (${i.reason})`).join(", ")}>
            became incomplete
          </span>
        ) : null}
      </div>
      <ul className="plain">
        {c.newFindings.map((f) => (
          <li key={`n${f.fingerprint}`}>
            + new <SeverityBadge severity={f.severity} /> <bdi>{f.title}</bdi> <code>{f.ruleId}</code>
          </li>
        ))}
        {c.changedFindings.map((f) => (
          <li key={`c${f.after.fingerprint}`}>
            ~ changed <SeverityBadge severity={f.after.severity} /> <bdi>{f.after.title}</bdi>: {f.what.join("; ")}
          </li>
        ))}
        {c.resolvedFindings.map((f) => (
          <li key={`r${f.fingerprint}`}>
            − resolved <SeverityBadge severity={f.severity} /> <bdi>{f.title}</bdi>
          </li>
        ))}
        {c.unseenFindings.map((f) => (
          <li key={`u${f.fingerprint}`}>
            ? no longer seen (incomplete data, not known to be resolved) <SeverityBadge severity={f.severity} /> <bdi>{f.title}</bdi>
          </li>
        ))}
      </ul>
    </li>
  );
}

export default async function ScanDiffPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const [from, to] = await Promise.all([resolveScan(one(params, "from")), resolveScan(one(params, "to"))]);
  if (!from || !to || String(from.id) !== one(params, "from") || String(to.id) !== one(params, "to")) notFound();
  const diff = await diffScans(from.id, to.id);
  const t = diff.totals;
  const pageCount = Math.max(1, Math.ceil(diff.changes.length / PAGE_SIZE));
  const page = Math.min(Math.max(Number(one(params, "page") ?? 1) || 1, 1), pageCount);
  const shown = diff.changes.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rose = diff.changes.filter((c) => c.riskBefore !== null && c.riskAfter !== null && c.riskAfter > c.riskBefore);
  const fell = diff.changes.filter((c) => c.riskBefore !== null && c.riskAfter !== null && c.riskAfter < c.riskBefore);
  return (
    <>
      <TopBar active="/scans" />
      <main className="page">
        <div className="crumbs">
          <Link href="/scans">Scans</Link> / compare
        </div>
        <div className="page-head">
          <h1>
            Scan #{from.id} → #{to.id}
          </h1>
          <span className="sub">
            {t.changedFunctions} functions changed: {t.addedFunctions} added, {t.removedFunctions} removed · same as <code>saltzer diff {from.id} {to.id}</code>
          </span>
        </div>
        <section className="panel" aria-labelledby="totals-h">
          <h2 id="totals-h">Totals</h2>
          <ul className="plain" data-testid="diff-totals">
            <li>
              Findings: {t.newFindings} new, {t.changedFindings} changed, {t.resolvedFindings} resolved, {t.unseenFindings} no longer seen (incomplete data)
            </li>
            <li>
              Risk rose for {t.riskRose} functions, fell for {t.riskFell}
            </li>
            <li>
              Public: {t.newPublic} became public, {t.noLongerPublic} no longer public · {t.becameIncomplete} became incomplete
            </li>
          </ul>
        </section>
        <div className="grid-2">
          <section className="panel" aria-labelledby="rose-h">
            <h2 id="rose-h">Risk rose ({rose.length})</h2>
            {rose.length === 0 ? <p className="muted">None.</p> : null}
            <ul className="plain">
              {rose.map((r) => (
                <li key={r.arn}>
                  <Link href={`/functions/${encodeURIComponent(r.arn)}?scan=${to.id}`}>{r.name}</Link> {r.riskBefore} → <strong>{r.riskAfter}</strong>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="fell-h">
            <h2 id="fell-h">Risk fell ({fell.length})</h2>
            {fell.length === 0 ? <p className="muted">None.</p> : null}
            <ul className="plain">
              {fell.map((r) => (
                <li key={r.arn}>
                  <Link href={`/functions/${encodeURIComponent(r.arn)}?scan=${to.id}`}>{r.name}</Link> {r.riskBefore} → <strong>{r.riskAfter}</strong>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <section className="panel" aria-labelledby="changes-h">
          <h2 id="changes-h">Every change, per function</h2>
          {diff.changes.length === 0 ? <p className="muted">No change.</p> : null}
          <ul className="plain changes-list">
            {shown.map((c) => (
              <ChangeItem key={c.arn} c={c} from={from.id} to={to.id} />
            ))}
          </ul>
          <Pager base="/scans/diff" params={params} page={page} pageCount={pageCount} total={diff.changes.length} pageSize={PAGE_SIZE} noun="changed functions" />
        </section>
      </main>
    </>
  );
}
