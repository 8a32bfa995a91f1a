/** `saltzer --help` and `saltzer COMMAND --help`: text only, so asking for help loads nothing else. */

export const HELP = `saltzer — least-privilege auditor for AWS Lambda

Usage:
  saltzer scan --snapshot DIR [--format FORMAT --out FILE] [--suppressions FILE] [--quiet] [--full]
  saltzer scan --aws [--org] [--accounts ID …] [--regions R …] [--assume-role NAME] [--external-id X]
               [--last-accessed] [--save-snapshot DIR] [--profile P] [--format FORMAT --out FILE]
               [--queue [--job-timeout SECONDS]]
               --queue: the crawl's jobs go into a queue in DATABASE_URL's PostgreSQL, run by
               \`saltzer worker\` processes on any machine; this command assembles and stores the scan
  saltzer worker [--concurrency N] [--profile P] [--quiet]   take crawl jobs (N at once, default 32) from
               DATABASE_URL's queue until SIGINT/SIGTERM; its credentials must be able to assume the audit role
  saltzer report [--scan ID] [--format json|csv|sarif|html] [--out FILE] [--suppressions FILE] [filters]
  saltzer can FUNCTION ACTION RESOURCE [--context key=value …] [--json] [--snapshot DIR | --scan ID]
  saltzer check (--snapshot DIR | --scan ID) --fail-on SEVERITY [--baseline SCAN] [--suppressions FILE]
               [--allow-incomplete] [filters]
               exit 1: a finding at/above SEVERITY; exit 3: none, but the scan could not read everything
  saltzer suppress FUNCTION RULE --reason R [--expires YYYY-MM-DD] [--scan ID]   FUNCTION: name or ARN
  saltzer unsuppress FUNCTION RULE [--scan ID]
  saltzer suppressions [--json]    stored suppressions, active and expired
  saltzer diff FROM_SCAN TO_SCAN [--json]   every change per function (the dashboard's scan diff)
  saltzer rules [--escalation] [--json]  the rule catalogue and the risk formula (--escalation: every escalation method)
  saltzer first-start              scan SALTZER_SNAPSHOT_DIR (default samples/acme) when nothing is stored yet

Options:
  --snapshot DIR   an offline snapshot directory (AWS CLI output; see README "Snapshot format")
  --scan ID        a stored scan (default: the latest complete one)
  --format F       report format: json (schemas/report.schema.json), csv (one row per finding),
                   sarif (2.1.0, for GitHub code scanning), html (one self-contained file)
  filters          the risk view's filters (README "Filters"): --account ID --region R --runtime RT
                   --severity MIN --category C --q TEXT --public yes|no --shared yes|no
                   --incomplete yes|no --suppressed include|only (hidden by default)
                   (--public-only = --public yes; --include-suppressed = --suppressed include)
  --suppressions FILE  a YAML or JSON suppressions file (README "Suppressions"), applied with the stored ones
  --out FILE       write the report to FILE (default: standard output)
  --quiet          no progress bar
  --full           recompute every account; by default a rescan reuses the stored analysis of
                   accounts whose inputs did not change (README "Incremental rescans")

Environment: DATABASE_URL (PostgreSQL; unset = embedded database in SALTZER_DATA_DIR, default ./.saltzer)
`;


/** One command's usage lines (with their continuations), then the shared options. */
export function commandHelp(command: string): string {
  const lines = HELP.split("\n");
  const usage: string[] = [];
  let inCommand = false;
  for (const line of lines.slice(lines.indexOf("Usage:") + 1, lines.indexOf("Options:"))) {
    if (line.startsWith("  saltzer ")) inCommand = line.startsWith(`  saltzer ${command} `) || line === `  saltzer ${command}`;
    if (inCommand && line.trim()) usage.push(line);
  }
  return `Usage:\n${usage.join("\n")}\n\n${lines.slice(lines.indexOf("Options:")).join("\n")}`;
}
