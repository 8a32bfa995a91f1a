/** Search params in and out of URLs: filters live in the URL. */
export type SearchParams = Record<string, string | string[] | undefined>;

export function one(params: SearchParams, key: string): string | undefined {
  const value = params[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === "" ? undefined : first;
}

/** `base?k=v…` keeping the given params, overriding some, dropping empty ones. */
export function hrefWith(base: string, params: SearchParams, overrides: Record<string, string | number | undefined>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined && value !== "" && !(k in overrides)) out.set(k, value);
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined && v !== "") out.set(k, String(v));
  const qs = out.toString();
  return qs ? `${base}?${qs}` : base;
}
