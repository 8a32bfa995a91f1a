import Link from "next/link";
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
    </div>
  );
}
