import Link from "next/link";
import { notFound } from "next/navigation";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { diffScans, type DiffFinding } from "@/lib/queries/scan-diff";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

function FindingList({ items, scanId, empty }: { items: DiffFinding[]; scanId: number; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain">
      {items.map((f, i) => (
        <li key={i}>
          <SeverityBadge severity={f.severity} /> <Link href={`/functions/${encodeURIComponent(f.functionArn)}?scan=${scanId}`}>{f.functionName}</Link> · <bdi>{f.title}</bdi>
        </li>
      ))}
    </ul>
  );
}

export default async function ScanDiffPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const [from, to] = await Promise.all([resolveScan(one(params, "from")), resolveScan(one(params, "to"))]);
  if (!from || !to || String(from.id) !== one(params, "from") || String(to.id) !== one(params, "to")) notFound();
  const diff = await diffScans(from.id, to.id);
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
            {diff.addedFunctions} functions added, {diff.removedFunctions} removed
          </span>
        </div>
        <div className="grid-2">
          <section className="panel" aria-labelledby="new-h">
            <h2 id="new-h">New findings ({diff.newFindings.length})</h2>
            <FindingList items={diff.newFindings} scanId={to.id} empty="No new findings." />
          </section>
          <section className="panel" aria-labelledby="res-h">
            <h2 id="res-h">Resolved findings ({diff.resolvedFindings.length})</h2>
            <FindingList items={diff.resolvedFindings} scanId={from.id} empty="Nothing resolved." />
          </section>
          <section className="panel" aria-labelledby="rose-h">
            <h2 id="rose-h">Functions whose risk rose ({diff.riskRose.length})</h2>
            {diff.riskRose.length === 0 ? <p className="muted">None.</p> : null}
            <ul className="plain">
              {diff.riskRose.map((r) => (
                <li key={r.arn}>
                  <Link href={`/functions/${encodeURIComponent(r.arn)}?scan=${to.id}`}>{r.name}</Link> {r.before} → <strong>{r.after}</strong>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="pub-h">
            <h2 id="pub-h">New public endpoints ({diff.newPublic.length})</h2>
            {diff.newPublic.length === 0 ? <p className="muted">None.</p> : null}
            <ul className="plain">
              {diff.newPublic.map((r) => (
                <li key={r.arn}>
                  <Link href={`/functions/${encodeURIComponent(r.arn)}?scan=${to.id}`}>{r.name}</Link>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </main>
    </>
  );
}
