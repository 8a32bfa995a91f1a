import Link from "next/link";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";

/** A plain GET form: filters land in the URL, so every view is a link. */
export function FunctionFilters({ params, accounts, regions }: { params: SearchParams; accounts: { id: string; name: string | null }[]; regions: string[] }) {
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
      <button type="submit">Apply</button>
      <Link className="clear" href={hrefWith("/functions", {}, { scan: one(params, "scan") })}>
        Clear
      </Link>
    </form>
  );
}
