#!/usr/bin/env bash
# For a CoC administrator: the whole exchange with the command line, end to end, on the bundled
# synthetic sample. In real use the plan runs the steps marked "plan".
#
#   bash examples/coc-admin-cli.sh [OUT_DIR]        (after: npm ci && npm run build)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/coc-admin-cli}"
BL="node dist/cli.js"
[ -f dist/cli.js ] || npm run build >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT"

# 1. CoC: check the client list first (rejected rows are listed by line, column and code).
$BL validate --in data/sample/clients.csv --report "$OUT/clients.rejects.csv" --today 2026-01-01

# 2. Agree on a key with the plan (share it by a secure channel, never by email with the data).
$BL keygen > "$OUT/linkage.key"
chmod 600 "$OUT/linkage.key"

# 3. CoC: encode; only the encoded file leaves the CoC.
$BL encode --in data/sample/clients.csv --key "$OUT/linkage.key" --out "$OUT/coc.arrow" --today 2026-01-01

# 4. plan: encode the member list with the same key, match, and write the return file.
$BL encode --in data/sample/members.csv --key "$OUT/linkage.key" --out "$OUT/mcp.arrow" --today 2026-01-01
$BL match --coc "$OUT/coc.arrow" --mcp "$OUT/mcp.arrow" --out "$OUT/links.csv" --review "$OUT/review.csv" \
  --report "$OUT/report.html" --model "$OUT/model.json"
$BL return-file --links "$OUT/links.csv" --members data/sample/members.csv --programs data/sample/programs.csv \
  --out "$OUT/mcp-return.csv" --as-of 2026-01-01

# 5. CoC: HMIS import files from the return file: a complete HUD export of the plan's project, with the
#    CoC's own Client.csv rows of the linked clients. Every month again, with --existing = what HMIS
#    holds for the project (here last run's folder): records keep their IDs, a re-run changes nothing.
CLIENTS=data/sample/hmis-fy2026/Client.csv
$BL hmis --return "$OUT/mcp-return.csv" --clients "$CLIENTS" --coc-code CA-500 --project-id MCP-GSHP \
  --out "$OUT/hmis-import" --export-date 2026-01-01
$BL hmis --return "$OUT/mcp-return.csv" --clients "$CLIENTS" --coc-code CA-500 --project-id MCP-GSHP \
  --existing "$OUT/hmis-import" --out "$OUT/hmis-import-rerun" --export-date 2026-01-01
cmp "$OUT/hmis-import/Enrollment.csv" "$OUT/hmis-import-rerun/Enrollment.csv"

echo "Done: open $OUT/report.html; import $OUT/hmis-import/ into HMIS."
