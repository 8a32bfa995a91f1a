import Link from "next/link";
import { CleanGetForm } from "@/components/clean-get-form";
import { FINDING_CATEGORIES, SEVERITIES } from "@/lib/analysis/types";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";

/** A plain GET form: filters land in the URL, so every view is a link. */
export function FunctionFilters({ params, accounts, regions, runtimes }: { params: SearchParams; accounts: { id: string; name: string | null }[]; regions: string[]; runtimes: string[] }) {
  return (
    <CleanGetForm className="filters" action="/functions" role="search">
      {one(params, "scan") ? <input type="hidden" name="scan" value={one(params, "scan")} /> : null}
      {one(params, "sort") ? <input type="hidden" name="sort" value={one(params, "sort")} /> : null}
      {one(params, "dir") ? <input type="hidden" name="dir" value={one(params, "dir")} /> : null}
      <label>
        Search
        <input type="search" name="q" defaultValue={one(params, "q") ?? ""} placeholder="name, ARN, role, runtime, action or resource" aria-label="Search functions" />
      </label>
      <SelectFilter params={params} name="account" label="Account" any="All accounts" options={accounts.map((a) => [a.id, a.name ? `${a.name} (${a.id})` : a.id])} />
      <SelectFilter params={params} name="region" label="Region" any="All regions" options={regions.map((r) => [r, r])} />
      <SelectFilter params={params} name="runtime" label="Runtime" any="All runtimes" options={runtimes.map((r) => [r, r])} />
      <SelectFilter params={params} name="severity" label="Severity" any="Any severity" options={SEVERITIES.map((sev) => [sev, sev === "critical" ? "critical" : `${sev} or worse`])} />
      <SelectFilter params={params} name="category" label="Finding category" any="Any category" options={FINDING_CATEGORIES.map((c) => [c, c])} />
      <SelectFilter params={params} name="public" label="Exposure" any="Public or private" options={[["yes", "Public only"], ["no", "Private only"]]} />
      <SelectFilter params={params} name="shared" label="Role sharing" any="Shared or own" options={[["yes", "Shared roles only"], ["no", "Own role only"]]} />
      <SelectFilter params={params} name="incomplete" label="Data" any="Complete or not" options={[["yes", "Incomplete data only"], ["no", "Complete data only"]]} />
      <SelectFilter params={params} name="suppressed" label="Suppressed findings" any="Hidden" options={[["include", "Shown"], ["only", "Only suppressed"]]} />
      <button type="submit">Apply</button>
      <Link className="clear" href={hrefWith("/functions", {}, { scan: one(params, "scan") })}>
        Clear
      </Link>
    </CleanGetForm>
  );
}

/** One labelled select bound to a search param; the empty option clears the filter. */
function SelectFilter({ params, name, label, any, options }: { params: SearchParams; name: string; label: string; any: string; options: [string, string][] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={one(params, name) ?? ""} aria-label={label}>
        <option value="">{any}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
