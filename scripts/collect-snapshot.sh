#!/usr/bin/env bash
# Saltzer snapshot collector: writes the read-only AWS CLI output Saltzer audits offline.
#
# Every file is the verbatim JSON one AWS CLI command prints (v2 or v1, auto-paginated). Nothing is
# modified in the accounts except --last-accessed, which starts IAM "service last accessed"
# report jobs (read-only reports). Environment variable values of Lambda functions ARE in
# list-functions output: treat the snapshot as confidential.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: collect-snapshot.sh [--account-only | --assume-role NAME] [--regions "R1 R2"] [--out DIR] [--last-accessed]

Collects a Saltzer snapshot with the AWS CLI (v2, or v1), using the credentials of the current
environment (AWS_PROFILE, AWS_ACCESS_KEY_ID …; AWS_ENDPOINT_URL is honoured by both CLIs).

  --account-only     Collect only the account the credentials belong to (no organizations/ folder).
  --assume-role NAME Organization mode (the default): run from the management account and assume
  (or --role NAME)   arn:aws:iam::<member>:role/NAME in every ACTIVE member account.
                     Default: SaltzerAuditRole, the role policies/saltzer-audit-role.cfn.yaml creates
                     and `saltzer scan --aws --org` assumes (its flag has the same name).
  --regions "R …"    Space-separated regions. Default: every region enabled for each account
                     (aws ec2 describe-regions).
  --out DIR          Output directory (must not exist or be empty).
                     Default: ./saltzer-snapshot-<UTC timestamp>.
  --last-accessed    Also generate ACTION_LEVEL service-last-accessed reports for every role used
                     by a Lambda function and wait for them (adds a minute or two).
  -h, --help         Show this help.

Environment: SALTZER_COLLECT_JOBS=N member accounts collected at once (default 4).

Permissions needed: the read-only policy shipped with Saltzer (lambda:List*/Get*, iam:Get*,
organizations:Describe*/List*, ec2:DescribeRegions, and iam:GenerateServiceLastAccessedDetails
for --last-accessed). A failed call (AccessDenied or any other error) is reported on stderr,
recorded in saltzer-coverage-gaps.json (account, region, API, file, message) and collection
continues: Saltzer reads each recorded failure as a coverage gap and the scan ends `partial`.
No directory is left behind for a call that failed. Exit status: 0, or 1 when a call failed
for another reason than access denied (the snapshot is still written and scannable).

Layout written:
  organizations/describe-organization.json, list-accounts.json, list-roots.json,
    list-parents/<child-id>.json, list-policies-for-target/<target-id>.json, describe-policy/<policy-id>.json
  accounts/<id>/iam/get-account-authorization-details.json
  accounts/<id>/iam/service-last-accessed/<role-name>.json            (--last-accessed)
  accounts/<id>/regions/<region>/lambda/list-functions.json, list-event-source-mappings.json,
    get-policy/<function>.json (absent = no resource policy),
    list-function-url-configs/<function>.json (absent = no function URL)
  saltzer-coverage-gaps.json                                           (when a call failed)
EOF
}

die() { echo "collect-snapshot: error: $*" >&2; exit 2; }
warn() { echo "collect-snapshot: warning: $*" >&2; }
info() { echo "collect-snapshot: $*" >&2; }
# first_lines FILE [N] — the first N (default 1) non-blank lines of an AWS CLI error, on one line.
first_lines() { grep -v '^[[:space:]]*$' "$1" | head -n "${2:-1}" | tr '\n' ' ' | sed 's/[[:space:]]*$//' || true; }

MODE=org
JOBS="${SALTZER_COLLECT_JOBS:-4}"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "SALTZER_COLLECT_JOBS must be a positive integer"
# The same default as `saltzer scan --aws --org` (DEFAULT_AUDIT_ROLE_NAME in lib/collect/crawl-organization.ts).
ROLE_NAME=SaltzerAuditRole
REGIONS=""
OUT=""
LAST_ACCESSED=0

while (($# > 0)); do
  case "$1" in
    --account-only) MODE=account; shift ;;
    --role|--assume-role) [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a role name"; ROLE_NAME="$2"; MODE=org; shift 2 ;;
    --role=*|--assume-role=*) ROLE_NAME="${1#*=}"; [[ -n "$ROLE_NAME" ]] || die "--assume-role needs a role name"; MODE=org; shift ;;
    --regions) [[ $# -ge 2 && -n "$2" ]] || die "--regions needs a space-separated list"; REGIONS="$2"; shift 2 ;;
    --regions=*) REGIONS="${1#*=}"; [[ -n "$REGIONS" ]] || die "--regions needs a space-separated list"; shift ;;
    --out) [[ $# -ge 2 && -n "$2" ]] || die "--out needs a directory"; OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#*=}"; [[ -n "$OUT" ]] || die "--out needs a directory"; shift ;;
    --last-accessed) LAST_ACCESSED=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

for region in $REGIONS; do
  [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "not a region name: $region"
done

command -v aws >/dev/null 2>&1 || die "the AWS CLI is not installed (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
aws_version="$(aws --version 2>&1 || true)"
# v1 and v2 print the same JSON but for timestamp formats, which Saltzer reads in either form.
[[ "$aws_version" == aws-cli/[12].* ]] || die "AWS CLI v1 or v2 is required, found: ${aws_version:-nothing}"

# No pager, JSON output, and a region for the regional STS / EC2 endpoints when none is configured.
export AWS_PAGER=""
export AWS_DEFAULT_OUTPUT=json
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${AWS_REGION:-us-east-1}}"

OUT="${OUT:-./saltzer-snapshot-$(date -u +%Y%m%dT%H%M%SZ)}"
if [[ -e "$OUT" ]]; then
  [[ -d "$OUT" ]] || die "$OUT exists and is not a directory"
  [[ -z "$(ls -A "$OUT")" ]] || die "$OUT is not empty"
fi
mkdir -p "$OUT"

# Warnings from subshells (one per account) are counted through these files.
STATE_DIR="$(mktemp -d)"
trap 'rm -rf "$STATE_DIR"' EXIT
: >"$STATE_DIR/denied"
: >"$STATE_DIR/failed"
: >"$STATE_DIR/gaps"

# api_name SERVICE COMMAND — `lambda list-functions` → lambda:ListFunctions (the IAM action it needs).
api_name() {
  local service="$1" words="" word
  local -a parts
  IFS=- read -r -a parts <<<"$2"
  for word in "${parts[@]}"; do words+="${word^}"; done
  echo "$service:$words"
}

# record_gap ACCOUNT REGION API FILE MESSAGE — one coverage gap (empty ACCOUNT/REGION/FILE = null).
# Tab-separated in the state directory; write_gaps turns them into saltzer-coverage-gaps.json.
record_gap() {
  local message
  message="$(printf '%s' "$5" | tr '\t\r\n' '   ' | tr -d '\000-\037\177')"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$message" >>"$STATE_DIR/gaps"
}

json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

json_or_null() { if [[ -n "$1" ]]; then json_string "$1"; else printf null; fi; }

# write_gaps — saltzer-coverage-gaps.json in the format `saltzer scan --aws --save-snapshot` writes.
write_gaps() {
  [[ -s "$STATE_DIR/gaps" ]] || return 0
  local account region api file message first=1
  {
    printf '{\n    "Gaps": [\n'
    while IFS=$'\t' read -r account region api file message; do
      ((first)) || printf ',\n'
      first=0
      printf '        {"accountId": %s, "region": %s, "api": %s, "file": %s, "message": %s}' \
        "$(json_or_null "$account")" "$(json_or_null "$region")" "$(json_string "$api")" "$(json_or_null "$file")" "$(json_string "$message")"
    done <"$STATE_DIR/gaps"
    printf '\n    ]\n}\n'
  } >"$OUT/saltzer-coverage-gaps.json"
}

# scope_of FILE — "ACCOUNT<TAB>REGION" of a snapshot file path (empty when it is not under accounts/).
scope_of() {
  local rel="${1#"$OUT"/}" account="" region=""
  if [[ "$rel" =~ ^accounts/([0-9]+)/ ]]; then account="${BASH_REMATCH[1]}"; fi
  if [[ "$rel" =~ ^accounts/[0-9]+/regions/([^/]+)/ ]]; then region="${BASH_REMATCH[1]}"; fi
  printf '%s\t%s' "$account" "$region"
}

# fetch FILE [--missing-ok] -- AWS-CLI-ARGS…
# Runs `aws AWS-CLI-ARGS… --output json` and writes its stdout to FILE (creating its directory
# only then, so a failed call leaves no empty directory behind).
# Returns 0 when FILE was written; 1 when it was not (not found, access denied or another error).
# ResourceNotFoundException with --missing-ok means "none" and is silent; any other failure is a
# warning and a recorded coverage gap.
fetch() {
  local out="$1" missing_ok=0
  shift
  if [[ "${1:-}" == --missing-ok ]]; then missing_ok=1; shift; fi
  [[ "${1:-}" == -- ]] && shift
  local err="$STATE_DIR/stderr.$$.$RANDOM" part="$STATE_DIR/out.$$.$RANDOM"
  if aws "$@" --output json >"$part" 2>"$err"; then
    mkdir -p "$(dirname "$out")"
    mv "$part" "$out"
    rm -f "$err"
    return 0
  fi
  rm -f "$part"
  local message
  message="$(first_lines "$err" 1)"
  rm -f "$err"
  if ((missing_ok)) && [[ "$message" == *ResourceNotFoundException* ]]; then
    return 1
  fi
  local scope account region
  scope="$(scope_of "$out")"
  account="${scope%%$'\t'*}"
  region="${scope#*$'\t'}"
  record_gap "$account" "$region" "$(api_name "$1" "$2")" "${out#"$OUT"/}" "$message"
  if [[ "$message" =~ AccessDenied|UnauthorizedOperation|AuthorizationError|not\ authorized|AccessDeniedException ]]; then
    warn "access denied, skipped ${out#"$OUT"/}: aws $* — $message"
    echo "$out" >>"$STATE_DIR/denied"
  else
    warn "failed, skipped ${out#"$OUT"/}: aws $* — $message"
    echo "$out" >>"$STATE_DIR/failed"
  fi
  return 1
}

# text [--gap ACCOUNT REGION] AWS-CLI-ARGS… : prints `aws … --output text` one token per line;
# empty output on error (with a warning, and a coverage gap for ACCOUNT/REGION when given).
text() {
  local account="" region="" gap=0
  if [[ "${1:-}" == --gap ]]; then gap=1; account="$2"; region="$3"; shift 3; fi
  local err="$STATE_DIR/stderr.$$.$RANDOM" result
  if result="$(aws "$@" --output text 2>"$err")"; then
    rm -f "$err"
    [[ "$result" == None ]] && return 0
    tr '\t' '\n' <<<"$result" | sed '/^$/d'
    return 0
  fi
  local message
  message="$(first_lines "$err" 1)"
  warn "aws $* — $message"
  echo "aws $*" >>"$STATE_DIR/failed"
  ((gap)) && record_gap "$account" "$region" "$(api_name "$1" "$2")" "" "$message"
  rm -f "$err"
  return 1
}

# collect_lambda_region ACCOUNT_DIR REGION ROLES_FILE
collect_lambda_region() {
  local dir="$1/regions/$2/lambda" region="$2" roles_file="$3" fn account="${1##*/}"
  fetch "$dir/list-functions.json" -- lambda list-functions --region "$region" || return 0
  fetch "$dir/list-event-source-mappings.json" -- lambda list-event-source-mappings --region "$region" || true
  # Names and roles from the same listing, once more as text (names and ARNs never contain whitespace).
  local listed names
  listed="$(text --gap "$account" "$region" lambda list-functions --region "$region" --query 'Functions[].[FunctionName,Role]')" || return 0
  names="$(grep -v '^arn:' <<<"$listed" || true)"
  grep '^arn:' <<<"$listed" >>"$roles_file" || true
  for fn in $names; do
    # Absent file = no resource policy (ResourceNotFoundException).
    fetch "$dir/get-policy/$fn.json" --missing-ok -- lambda get-policy --region "$region" --function-name "$fn" || true
    # Absent file = no function URL: only keep a listing that holds at least one URL.
    if fetch "$dir/list-function-url-configs/$fn.json" --missing-ok -- lambda list-function-url-configs --region "$region" --function-name "$fn"; then
      grep -q '"FunctionUrl"' "$dir/list-function-url-configs/$fn.json" || rm -f "$dir/list-function-url-configs/$fn.json"
    fi
  done
  rmdir "$dir/list-function-url-configs" 2>/dev/null || true
}

# collect_last_accessed ACCOUNT_DIR ROLES_FILE
collect_last_accessed() {
  local dir="$1/iam/service-last-accessed" roles_file="$2" arn job status name tries account="${1##*/}"
  local -a jobs=()
  # Start every job first: IAM computes them in parallel.
  while IFS= read -r arn; do
    [[ -n "$arn" ]] || continue
    if job="$(aws iam generate-service-last-accessed-details --arn "$arn" --granularity ACTION_LEVEL --query JobId --output text 2>"$STATE_DIR/gen.$account.err")"; then
      jobs+=("$arn|$job")
    else
      warn "could not start last-accessed job for $arn — $(first_lines "$STATE_DIR/gen.$account.err")"
      record_gap "$account" "" iam:GenerateServiceLastAccessedDetails "" "role ${arn##*/}: $(first_lines "$STATE_DIR/gen.$account.err")"
      echo "$arn" >>"$STATE_DIR/denied"
    fi
  done < <(sort -u "$roles_file")
  for entry in "${jobs[@]+"${jobs[@]}"}"; do
    arn="${entry%%|*}"
    job="${entry#*|}"
    name="${arn##*/}"
    status=IN_PROGRESS
    for ((tries = 0; tries < 90; tries++)); do
      status="$(aws iam get-service-last-accessed-details --job-id "$job" --query JobStatus --output text 2>/dev/null || echo ERROR)"
      [[ "$status" == IN_PROGRESS ]] || break
      sleep 2
    done
    if [[ "$status" == COMPLETED ]]; then
      fetch "$dir/$name.json" -- iam get-service-last-accessed-details --job-id "$job" || true
    else
      warn "last-accessed job for $arn ended with status $status; skipped"
      record_gap "$account" "" iam:GetServiceLastAccessedDetails "" "role ${arn##*/}: last-accessed job ended with status $status"
      echo "$arn" >>"$STATE_DIR/failed"
    fi
  done
}

# collect_account ACCOUNT_ID — uses whatever credentials are in the environment.
collect_account() {
  local account="$1" dir="$OUT/accounts/$1" regions region
  info "account $account: IAM"
  # Functions cannot be judged without their roles: like the live crawl, an account whose IAM
  # cannot be read is left out (its recorded gap says why).
  if ! fetch "$dir/iam/get-account-authorization-details.json" -- iam get-account-authorization-details; then
    warn "account $account: IAM unreadable; account skipped"
    return 0
  fi
  regions="$REGIONS"
  if [[ -z "$regions" ]]; then
    regions="$(text --gap "$account" "" ec2 describe-regions --query 'Regions[].RegionName' | sort)" || true
    if [[ -z "$regions" ]]; then
      warn "account $account: could not list enabled regions; pass --regions"
      return 0
    fi
  fi
  local roles_file="$STATE_DIR/roles.$account"
  : >"$roles_file"
  for region in $regions; do
    info "account $account: Lambda in $region"
    collect_lambda_region "$dir" "$region" "$roles_file"
  done
  if ((LAST_ACCESSED)); then
    info "account $account: service last accessed"
    collect_last_accessed "$dir" "$roles_file"
  fi
}

# walk_parents CHILD_ID — writes list-parents for the child and each ancestor up to the root; prints OU ids met.
walk_parents() {
  local child="$1" file parent type
  while :; do
    file="$OUT/organizations/list-parents/$child.json"
    [[ -f "$file" ]] && return 0
    fetch "$file" -- organizations list-parents --child-id "$child" || return 0
    # The CLI prints one key per line: read the first parent's Id and Type from it.
    parent="$(sed -n 's/^ *"Id": "\([^"]*\)".*/\1/p' "$file" | head -n 1)"
    type="$(sed -n 's/^ *"Type": "\([^"]*\)".*/\1/p' "$file" | head -n 1)"
    [[ -n "$parent" && "$type" == ORGANIZATIONAL_UNIT ]] || return 0
    echo "$parent"
    child="$parent"
  done
}

collect_organization() {
  local dir="$OUT/organizations" root account ou policy
  info "organization"
  fetch "$dir/describe-organization.json" -- organizations describe-organization || die "cannot describe the organization: run from the management account, or use --account-only"
  fetch "$dir/list-accounts.json" -- organizations list-accounts || die "cannot list the organization's accounts"
  fetch "$dir/list-roots.json" -- organizations list-roots || die "cannot list the organization's roots"
  local -a targets=()
  for root in $(text organizations list-roots --query 'Roots[].Id' || true); do targets+=("$root"); done
  local ous
  local accounts
  accounts="$(text organizations list-accounts --query 'Accounts[].Id')" || true
  ous="$(for account in $accounts; do walk_parents "$account"; done | sort -u)"
  for account in $accounts; do targets+=("$account"); done
  for ou in $ous; do targets+=("$ou"); done
  for target in "${targets[@]+"${targets[@]}"}"; do
    fetch "$dir/list-policies-for-target/$target.json" -- organizations list-policies-for-target --target-id "$target" --filter SERVICE_CONTROL_POLICY || true
  done
  for policy in $(sed -n 's/^ *"Id": "\(p-[^"]*\)".*/\1/p' "$dir"/list-policies-for-target/*.json 2>/dev/null | sort -u); do
    fetch "$dir/describe-policy/$policy.json" -- organizations describe-policy --policy-id "$policy" || true
  done
}

main() {
  local caller_arn self partition account
  local identity
  identity="$(aws sts get-caller-identity --query '[Account,Arn]' --output text)" || die "no working AWS credentials (aws sts get-caller-identity failed)"
  read -r self caller_arn <<<"$identity"
  partition="$(cut -d: -f2 <<<"$caller_arn")"
  info "writing to $OUT as $caller_arn"

  if [[ "$MODE" == account ]]; then
    collect_account "$self"
  else
    collect_organization
    local members
    members="$(text organizations list-accounts --query 'Accounts[?Status==`ACTIVE`].Id')" || die "cannot list the organization's accounts"
    for account in $members; do
      if [[ "$account" == "$self" ]]; then
        collect_account "$account"
        continue
      fi
      # One subshell per member account, so its temporary credentials never leak into the next one;
      # up to $JOBS accounts at once (each AWS CLI call is a new process, mostly start-up time).
      while (($(jobs -rp | wc -l) >= JOBS)); do wait -n || true; done
      (
        creds="$(aws sts assume-role --role-arn "arn:$partition:iam::$account:role/$ROLE_NAME" --role-session-name saltzer-collect \
          --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text 2>"$STATE_DIR/assume.$account.err")" || {
          warn "account $account: cannot assume role $ROLE_NAME — $(first_lines "$STATE_DIR/assume.$account.err"); account skipped"
          record_gap "$account" "" sts:AssumeRole "" "cannot assume arn:$partition:iam::$account:role/$ROLE_NAME: $(first_lines "$STATE_DIR/assume.$account.err")"
          echo "$account" >>"$STATE_DIR/denied"
          exit 0
        }
        read -r key secret token <<<"$creds"
        # Explicit credentials must win over a profile from the caller's environment.
        unset AWS_PROFILE AWS_DEFAULT_PROFILE
        export AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token"
        collect_account "$account"
      ) &
    done
    wait
  fi

  local denied failed gaps
  write_gaps
  denied="$(wc -l <"$STATE_DIR/denied" | tr -d ' ')"
  failed="$(wc -l <"$STATE_DIR/failed" | tr -d ' ')"
  gaps="$(wc -l <"$STATE_DIR/gaps" | tr -d ' ')"
  info "done: $OUT ($denied access denied, $failed other failures; $gaps coverage gaps recorded in saltzer-coverage-gaps.json)"
  ((failed == 0)) || exit 1
}

main
