import Link from "next/link";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/functions", label: "Functions" },
  { href: "/roles", label: "Roles" },
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
    </header>
  );
}
