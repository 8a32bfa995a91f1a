import Link from "next/link";
import { env } from "@/lib/env";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/functions", label: "Functions" },
  { href: "/roles", label: "Roles" },
  { href: "/suppressions", label: "Suppressions" },
  { href: "/scans", label: "Scans" },
];

export function TopBar({ active }: { active?: string }) {
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Saltzer<span>least privilege for Lambda</span>
      </Link>
      <nav aria-label="Main">
        {LINKS.map((l) => (
          <Link key={l.href} href={l.href} className={active === l.href ? "active" : undefined}>
            {l.label}
          </Link>
        ))}
      </nav>
      {env().SALTZER_AUTH_TOKEN ? (
        <form method="post" action="/api/logout" className="sign-out">
          <button type="submit">Sign out</button>
        </form>
      ) : null}
    </header>
  );
}
