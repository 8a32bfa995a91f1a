import Link from "next/link";
import type { FunctionRow, FunctionSort } from "@/lib/queries/functions";
import { hrefWith, type SearchParams } from "@/lib/url-state";
import { SeverityBadge } from "@/components/severity-badge";
import { RoleLink } from "@/components/role-link";

const COLUMNS: { key: FunctionSort; label: string; numeric?: boolean }[] = [
  { key: "risk", label: "Risk" },
  { key: "name", label: "Function" },
  { key: "account", label: "Account" },
  { key: "region", label: "Region" },
  { key: "runtime", label: "Runtime" },
  { key: "role", label: "Execution role" },
  { key: "policies", label: "Policies", numeric: true },
  { key: "findings", label: "Findings", numeric: true },
  { key: "public", label: "Exposure" },
];

export function functionHref(arn: string, scanId: number): string {
  return `/functions/${encodeURIComponent(arn)}?scan=${scanId}`;
}

export function FunctionTable({ rows, params, sort, dir, scanId }: { rows: FunctionRow[]; params: SearchParams; sort: FunctionSort; dir: "asc" | "desc"; scanId: number }) {
  return (
    <table className="data" aria-label="Functions">
      <thead>
        <tr>
          {COLUMNS.map((c) => {
            const active = c.key === sort;
            // Risk and counts read best worst-first; names first-to-last.
            const firstDir = c.key === "risk" || c.key === "findings" || c.key === "policies" || c.key === "public" ? "desc" : "asc";
            const nextDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
            const th = (
              <th key={c.key} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={c.numeric ? "num" : undefined}>
                <Link href={hrefWith("/functions", params, { sort: c.key, dir: nextDir, page: undefined })} className={active ? "sorted" : undefined}>
                  {c.label}
                  {active ? (dir === "asc" ? " ▲" : " ▼") : ""}
                </Link>
              </th>
            );
            // "Why" follows the name: the first thing a reader asks after "which function".
            return c.key === "name" ? [th, <th key="why">Why</th>] : th;
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.arn}>
            <td>
              <SeverityBadge severity={r.severity} score={r.riskScore} />
            </td>
            <td>
              <Link className="fn-name" href={functionHref(r.arn, scanId)}>
                {r.name}
              </Link>
              {r.incomplete.length > 0 ? (
                <>
                  {" "}
                  <span className="badge incomplete" title={`Incomplete data: could not read ${r.incomplete.map((i) => `${i.api} (${i.reason})`).join(", ")}`}>
                    incomplete
                  </span>
                </>
              ) : null}
              {r.hasSecrets ? (
                <>
                  {" "}
                  <span className="badge secret" title="An environment variable looks like a secret">secret in env</span>
                </>
              ) : null}
            </td>
            <td className="why">
              {r.worstFinding ? (
                <bdi title={`Worst unsuppressed finding (${r.worstFinding.severity})`}>{r.worstFinding.title}</bdi>
              ) : (
                <span className="muted">no finding</span>
              )}
            </td>
            <td className="acct">
              <bdi>{r.accountName ?? r.accountId}</bdi>
              <div className="arn">{r.accountId}</div>
            </td>
            <td className="region">
              <bdi>{r.region}</bdi>
            </td>
            <td>{r.runtime ?? <span className="muted">container image</span>}</td>
            <td>
              <RoleLink arn={r.roleArn} name={r.roleName} scanId={scanId} />
              {r.sharedRole ? (
                <>
                  {" "}
                  <span className="badge shared" title="Other functions execute as this role">shared</span>
                </>
              ) : null}
            </td>
            <td className="num">{r.policyCount}</td>
            <td className="num">{r.findingCount}</td>
            <td>{r.isPublic ? <span className="badge public">public</span> : <span className="badge private">private</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
