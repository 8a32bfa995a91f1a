import { safeNextPath } from "@/lib/sign-in";
import { one, type SearchParams } from "@/lib/url-state";

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  return (
    <main className="page">
      <div className="panel login">
        <h1>Saltzer</h1>
        <p className="muted">This dashboard is protected: enter the token set in SALTZER_AUTH_TOKEN.</p>
        {one(params, "error") ? <p className="error-box">That token is not right.</p> : null}
        <form method="post" action="/api/login" className="filters">
          <input type="hidden" name="next" value={safeNextPath(one(params, "next"))} />
          <label>
            Token
            <input type="password" name="token" required autoComplete="current-password" aria-label="Token" />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </main>
  );
}
