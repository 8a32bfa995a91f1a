import Link from "next/link";
import type { BlastRadius, DataStoreAccess } from "@/lib/analysis/types";

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

export function BlastRadiusPanel({ blast, scanId, names }: { blast: BlastRadius; scanId: number; names: Record<string, string> }) {
  return (
    <>
      <p className="muted">
        {blast.totals.actions.toLocaleString("en-US")} actions in {blast.totals.services} services on {blast.totals.resources} resource patterns; reaches{" "}
        {blast.totals.reachableFunctions} other functions.
      </p>
      <table className="data compact" aria-label="Access by service and level" tabIndex={0}>
        <thead>
          <tr>
            <th>Service</th>
            <th>List</th>
            <th>Read</th>
            <th>Write</th>
            <th>Permissions management</th>
            <th>Tagging</th>
            <th>Resources</th>
          </tr>
        </thead>
        <tbody>
          {blast.services.map((s) => {
            const by = new Map(s.levels.map((l) => [l.level, l]));
            const resources = [...new Set(s.levels.flatMap((l) => l.resources))];
            return (
              <tr key={s.service}>
                <td>
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
                  <span className="badge kind">pass</span> <code>{r}</code>
                </li>
              ))}
              {blast.rolesAssumable.map((r) => (
                <li key={`a${r}`}>
                  <span className="badge kind">assume</span> <code>{r}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Functions it reaches</h3>
          {blast.reachableFunctions.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain reach">
              {blast.reachableFunctions.slice(0, 25).map((r) => (
                <li key={r.arn}>
                  <Link href={`/functions/${encodeURIComponent(r.arn)}?scan=${scanId}`}>{names[r.arn] ?? r.arn.split(":").pop()}</Link>{" "}
                  <span className="muted">
                    {r.hops} hop{r.hops > 1 ? "s" : ""}:{" "}
                    {r.path.map((e, i) => (
                      <span key={i}>
                        {i > 0 ? " → " : ""}
                        <bdi>{e.shortReason}</bdi>
                      </span>
                    ))}
                  </span>
                </li>
              ))}
              {blast.totals.reachableFunctions > 25 ? <li className="muted">… and {blast.totals.reachableFunctions - 25} more</li> : null}
            </ul>
          )}
        </div>
      </div>
    </>
  );
}
