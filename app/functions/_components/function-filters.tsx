import Link from "next/link";
import { FINDING_CATEGORIES, SEVERITIES } from "@/lib/analysis/types";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";

/** A plain GET form: filters land in the URL, so every view is a link. */
export function FunctionFilters({ params, accounts, regions, runtimes }: { params: SearchParams; accounts: { id: string; name: string | null }[]; regions: string[]; runtimes: string[] }) {
  return (
    <form className="filters" method="get" action="/functions" role="search">
      {one(params, "scan") ? <input type="hidden" name="scan" value={one(params, "scan")} /> : null}
      {one(params, "sort") ? <input type="hidden" name="sort" value={one(params, "sort")} /> : null}
      {one(params, "dir") ? <input type="hidden" name="dir" value={one(params, "dir")} /> : null}
      <label>
        Search
        <input type="search" name="q" defaultValue={one(params, "q") ?? ""} placeholder="name, ARN, role or runtime" aria-label="Search functions" />
      </label>
      <label>
        Account
        <select name="account" defaultValue={one(params, "account") ?? ""} aria-label="Account">
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name ? `${a.name} (${a.id})` : a.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        Region
        <select name="region" defaultValue={one(params, "region") ?? ""} aria-label="Region">
          <option value="">All regions</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        Runtime
        <select name="runtime" defaultValue={one(params, "runtime") ?? ""} aria-label="Runtime">
          <option value="">All runtimes</option>
          {runtimes.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select name="severity" defaultValue={one(params, "severity") ?? ""} aria-label="Severity">
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s === "critical" ? "critical" : `${s} or worse`}
            </option>
          ))}
        </select>
      </label>
      <label>
        Finding category
        <select name="category" defaultValue={one(params, "category") ?? ""} aria-label="Finding category">
          <option value="">Any category</option>
          {FINDING_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Exposure
        <select name="public" defaultValue={one(params, "public") ?? ""} aria-label="Exposure">
          <option value="">Public or private</option>
          <option value="yes">Public only</option>
          <option value="no">Private only</option>
        </select>
      </label>
      <label>
        Role
        <select name="shared" defaultValue={one(params, "shared") ?? ""} aria-label="Role sharing">
          <option value="">Shared or own</option>
          <option value="yes">Shared roles only</option>
          <option value="no">Own role only</option>
        </select>
      </label>
      <button type="submit">Apply</button>
      <Link className="clear" href={hrefWith("/functions", {}, { scan: one(params, "scan") })}>
        Clear
      </Link>
    </form>
  );
}
