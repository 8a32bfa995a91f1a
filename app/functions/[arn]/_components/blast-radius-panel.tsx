import Link from "next/link";
import type { BlastRadius, DataStoreAccess, Edge } from "@/lib/analysis/types";
import { REACH_PAGE_SIZE, type ReachPage } from "@/lib/queries/reach";

function Stores({ title, stores }: { title: string; stores: DataStoreAccess[] }) {
  return (
    <div>
      <h3>{title}</h3>
      {stores.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain">
          {stores.map((s, i) => (
            <li key={i}>
              <span className="badge kind">{s.service}</span> <code>{s.resource}</code>
              {s.conditional ? <span className="muted"> (conditionally)</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A role's page (built by the role pages); ARNs are encoded whole into the path. */
export function roleHref(arn: string, scanId: number): string {
  return `/roles/${encodeURIComponent(arn)}?scan=${scanId}`;
}

function functionHref(arn: string, scanId: number): string {
  return `/functions/${encodeURIComponent(arn)}?scan=${scanId}`;
}

function lastPart(arn: string): string {
  return arn.split(/[:/]/).pop() || arn;
}

/** Links inside running text are underlined: colour alone does not tell them apart (WCAG 1.4.1). */
const UNDERLINED = { textDecoration: "underline" } as const;
/** The shared pager's disabled grey is below 4.5:1; the muted ink is not. */
const DISABLED = { color: "var(--muted)" } as const;

/** The functions and roles a path goes through before the reached function, each a link. */
function PathThrough({ path, reached, scanId }: { path: Edge[]; reached: string; scanId: number }) {
  const through: string[] = [];
  for (const e of path) for (const id of [e.from, e.to]) if (id !== reached && id !== path[0]?.from && !through.includes(id) && /:(function:|role\/)/.test(id) && !/[*?]/.test(id)) through.push(id);
  if (through.length === 0) return null;
  return (
    <span className="reach-through">
      {" "}
      through{" "}
      {through.map((id, i) => (
        <span key={id}>
          {i > 0 ? ", " : ""}
          {id.includes(":role/") ? (
            <Link href={roleHref(id, scanId)} title={id} style={UNDERLINED}>
              role <bdi>{lastPart(id)}</bdi>
            </Link>
          ) : (
            <Link href={functionHref(id, scanId)} title={id} style={UNDERLINED}>
              <bdi>{lastPart(id)}</bdi>
            </Link>
          )}
        </span>
      ))}
    </span>
  );
}

/** The reach list, one page of it, with links to every function and role on the way. */
function ReachList({ reach, scanId, pageHref }: { reach: ReachPage; scanId: number; pageHref: (page: number) => string }) {
  if (reach.total === 0) return <p className="muted">None.</p>;
  const page = Math.floor(reach.offset / REACH_PAGE_SIZE) + 1;
  const pages = Math.max(1, Math.ceil(reach.total / REACH_PAGE_SIZE));
  const from = reach.offset + 1;
  const to = reach.offset + reach.entries.length;
  return (
    <div className="reach-block">
      <ol className="plain reach" start={from} data-testid="reach-list">
        {reach.entries.map((r) => (
          <li key={r.arn}>
            <Link href={functionHref(r.arn, scanId)} title={r.arn}>
              <bdi>{r.name ?? lastPart(r.arn)}</bdi>
            </Link>{" "}
            <span className="muted">
              {r.hops} move{r.hops > 1 ? "s" : ""}:{" "}
              {r.path
                .filter((e) => e.kind !== "executes-as")
                .map((e, i) => (
                  <span key={i}>
                    {i > 0 ? " → " : ""}
                    <bdi>{e.shortReason}</bdi>
                  </span>
                ))}
              <PathThrough path={r.path} reached={r.arn} scanId={scanId} />
            </span>
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav className="pager reach-pager" aria-label="Reached functions pages">
          <span>
            {from}–{to} of {reach.total.toLocaleString("en-US")} functions
          </span>
          <span className="links">
            {page > 1 ? (
              <Link href={pageHref(page - 1)} rel="prev" scroll={false}>
                ‹ Previous
              </Link>
            ) : (
              <span className="disabled" style={DISABLED}>
                ‹ Previous
              </span>
            )}
            <span>
              Page {page} of {pages}
            </span>
            {page < pages ? (
              <Link href={pageHref(page + 1)} rel="next" scroll={false}>
                Next ›
              </Link>
            ) : (
              <span className="disabled" style={DISABLED}>
                Next ›
              </span>
            )}
          </span>
        </nav>
      ) : null}
    </div>
  );
}

/**
 * Services listed open; more are folded. A role allowed `*` reaches 400+ services: one row each made the page
 * 14,000 px tall (slow to load, to scroll and to check), so the open rows are those with the most dangerous access.
 */
const SHOWN_SERVICES = 20;

const dangerOf = (s: BlastRadius["services"][number]) => {
  const count = (level: string) => s.levels.find((l) => l.level === level)?.actionCount ?? 0;
  return [count("Permissions management"), count("Write"), s.levels.reduce((n, l) => n + l.actionCount, 0)];
};

function splitServices(services: BlastRadius["services"]) {
  if (services.length <= SHOWN_SERVICES) return { shown: services, folded: [] };
  const ranked = services.map((s) => ({ s, d: dangerOf(s) })).sort((a, b) => b.d[0] - a.d[0] || b.d[1] - a.d[1] || b.d[2] - a.d[2]);
  const open = new Set(ranked.slice(0, SHOWN_SERVICES).map((r) => r.s));
  return { shown: ranked.slice(0, SHOWN_SERVICES).map((r) => r.s), folded: services.filter((s) => !open.has(s)) };
}

function ServiceTable({ label, services }: { label: string; services: BlastRadius["services"] }) {
  return (
    <table className="data compact" aria-label={label} tabIndex={0}>
      <thead>
        <tr>
          <th>Service</th>
          {/* Counts are right-aligned: so are their headers, so each number sits under its own. */}
          <th className="num">List</th>
          <th className="num">Read</th>
          <th className="num">Write</th>
          <th className="num">Permissions management</th>
          <th className="num">Tagging</th>
          <th>Resources</th>
        </tr>
      </thead>
      <tbody>
        {services.map((s) => {
          const by = new Map(s.levels.map((l) => [l.level, l]));
          const resources = [...new Set(s.levels.flatMap((l) => l.resources))];
          return (
            <tr key={s.service}>
              <td className="service">
                <code>{s.service}</code>
              </td>
              {(["List", "Read", "Write", "Permissions management", "Tagging"] as const).map((level) => {
                const l = by.get(level);
                return (
                  <td key={level} className={`num${l && (level === "Write" || level === "Permissions management") ? " hot" : ""}`} title={l ? `${l.actions.slice(0, 12).join(", ")}${l.actionCount > 12 ? ", …" : ""}` : undefined}>
                    {l ? l.actionCount : "·"}
                  </td>
                );
              })}
              <td className="arn">
                {resources.slice(0, 3).map((r, i) => (
                  <span key={i}>
                    {i > 0 ? ", " : ""}
                    <bdi>{r}</bdi>
                  </span>
                ))}
                {resources.length > 3 ? ` +${resources.length - 3}` : ""}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function BlastRadiusPanel({ blast, scanId, reach, reachPageHref }: { blast: BlastRadius; scanId: number; reach: ReachPage | null; reachPageHref: (page: number) => string }) {
  const { shown, folded } = splitServices(blast.services);
  return (
    <>
      <p className="muted">
        {blast.totals.actions.toLocaleString("en-US")} actions in {blast.totals.services} services on {blast.totals.resources} resource patterns; reaches{" "}
        {blast.totals.reachableFunctions} other functions.
      </p>
      <ServiceTable label="Access by service and level" services={shown} />
      {folded.length > 0 ? (
        <details className="more-services">
          <summary>
            {folded.length.toLocaleString("en-US")} more services, A to Z (the {shown.length} above have the most write and permissions-management actions)
          </summary>
          <ServiceTable label="Other services: access by level" services={folded} />
        </details>
      ) : null}
      <h3 className="subhead">Directly, with its own role</h3>
      <div className="grid-3">
        <Stores title="Data it can read" stores={blast.dataStores.read} />
        <Stores title="Data it can write" stores={blast.dataStores.write} />
        <Stores title="Data it can delete" stores={blast.dataStores.delete} />
      </div>
      {blast.afterEscalation ? (
        <section aria-label="After escalation" data-testid="after-escalation">
          <h3 className="subhead">
            After escalation, via {blast.afterEscalation.via.map((v) => `${v.roleArn.split("/").pop()} (${v.method}${v.conditional ? ", conditional" : ""})`).join(", ")}
          </h3>
          <div className="grid-3">
            <Stores title="Data it can read after escalation" stores={blast.afterEscalation.dataStores.read} />
            <Stores title="Data it can write after escalation" stores={blast.afterEscalation.dataStores.write} />
            <Stores title="Data it can delete after escalation" stores={blast.afterEscalation.dataStores.delete} />
          </div>
        </section>
      ) : null}
      <div className="grid-2">
        <div>
          <h3>Roles it can pass or assume</h3>
          {blast.rolesPassable.length + blast.rolesAssumable.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain">
              {blast.rolesPassable.map((r) => (
                <li key={`p${r}`}>
                  <span className="badge kind">pass</span>{" "}
                  <Link href={roleHref(r, scanId)} title={r}>
                    <code>{r}</code>
                  </Link>
                </li>
              ))}
              {blast.rolesAssumable.map((r) => (
                <li key={`a${r}`}>
                  <span className="badge kind">assume</span>{" "}
                  <Link href={roleHref(r, scanId)} title={r}>
                    <code>{r}</code>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 id="reach-h">Functions it reaches{reach && reach.total > 0 ? ` (${reach.total.toLocaleString("en-US")})` : ""}</h3>
          {reach ? <ReachList reach={reach} scanId={scanId} pageHref={reachPageHref} /> : <p className="muted">None.</p>}
        </div>
      </div>
    </>
  );
}
