import Link from "next/link";
import { CleanGetForm } from "@/components/clean-get-form";
import { hrefWith, type SearchParams } from "@/lib/url-state";

export function Pager({ base, params, page, pageCount, total, pageSize, noun }: { base: string; params: SearchParams; page: number; pageCount: number; total: number; pageSize: number; noun: string }) {
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <div className="pager">
      <span>
        {from}–{to} of {total.toLocaleString("en-US")} {noun}
      </span>
      <span className="links">
        {page > 1 ? <Link href={hrefWith(base, params, { page: page - 1 })} rel="prev">‹ Previous</Link> : <span className="disabled">‹ Previous</span>}
        <span>
          Page {page} of {pageCount}
        </span>
        {page < pageCount ? <Link href={hrefWith(base, params, { page: page + 1 })} rel="next">Next ›</Link> : <span className="disabled">Next ›</span>}
      </span>
      {pageCount > 2 ? <PageJump base={base} params={params} page={page} pageCount={pageCount} /> : null}
    </div>
  );
}

/** "Go to page n" for long lists: a GET form keeping every other parameter of the view. */
function PageJump({ base, params, page, pageCount }: { base: string; params: SearchParams; page: number; pageCount: number }) {
  const keep = Object.entries(params).flatMap(([k, v]) => {
    const value = Array.isArray(v) ? v[0] : v;
    return k === "page" || value === undefined || value === "" ? [] : [[k, value] as const];
  });
  return (
    <CleanGetForm action={base} className="page-jump" ariaLabel="Go to page">
      {keep.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label>
        Page <input type="number" name="page" min={1} max={pageCount} defaultValue={page} required inputMode="numeric" />
      </label>
      <button type="submit" className="secondary small">
        Go
      </button>
    </CleanGetForm>
  );
}
