#!/bin/bash
# Output identity check (issue #16: "results byte-identical"): runs a fixed set of `encode` and
# `match` jobs with one built CLI and prints "sha256-prefix name" for every output, so two builds
# are compared with `diff` (manifests less `createdAt` and with the output folder's name replaced;
# the report JSON less `generatedAt`; the manifest that records the report's digest left out).
#
# Usage: bench/ident.sh CLI OUTDIR DATA
#   bench/ident.sh dist/cli.js /dev/shm/id-new /work/data18 > new.txt
#   bench/ident.sh ../base/dist/cli.js /dev/shm/id-base /work/data18 > base.txt && diff base.txt new.txt
# OUTDIR is made afresh (an existing folder only if an earlier run of this script made it). DATA
# holds, made once (key2 from `bloomlink keygen --out key2`):
#   m3/members.csv, s50/: `bloomlink synth --out m3 --clients 100000 --members 3000000`,
#     `bloomlink synth --out s50 --clients 1000 --members 50000`
#   m50k.csv, m200k.csv: the first 50,001 and 200,001 lines of m3/members.csv
#   spans.csv: `npx tsx bench/member-spans-csv.ts s50/members.csv spans.csv` (coverage spans, messy
#     rows, two-byte names); sp20k.csv its first 20,001 lines; w1252.csv and u16.csv that file as
#     Windows-1252 (iconv //TRANSLIT) and as UTF-16LE with a BOM; late1252.csv the first 15,001 lines
#     of m50k.csv then w1252.csv's rows; mixed.csv the first 15,001 lines of sp20k.csv then w1252.csv's
#     rows (an encoding error: its message is compared)
#   febrl/{coc,mcp}.csv and febrl/key: FEBRL 4 as contract lists (bench/lib/febrl.ts, as
#     bench/cli-small.bench.ts writes them)
set -e
[ $# -eq 3 ] || { echo "usage: bench/ident.sh CLI OUTDIR DATA" >&2; exit 2; }
CLI=$(realpath "$1"); O=$(realpath -m "$2"); D=$3
if [ -e "$O" ]; then
  [ -f "$O/.ident" ] || { echo "ident.sh: $O exists and is not an earlier output of this script" >&2; exit 2; }
  rm -rf "$O"
fi
mkdir -p "$O"; touch "$O/.ident"
E() { node "$CLI" encode --key "$1" --today 2026-01-01 -q "${@:2}"; }
for t in 1 2 3; do E $D/key2 --in $D/m50k.csv --out $O/m50k-t$t.arrow --threads $t; done
E $D/key2 --in $D/m200k.csv --out $O/m200k.arrow
E $D/key2 --in $D/m50k.csv --out $O/m50k.jsonl
for t in 1 2; do E $D/key2 --in $D/spans.csv --out $O/spans-t$t.arrow --threads $t; done
E $D/key2 --in /dev/stdin --out $O/stdin.arrow < <(cat $D/m50k.csv)
E $D/key2 --in $D/s50/clients.csv --out $O/s50coc.arrow
for v in w1252 u16 late1252; do E $D/key2 --in $D/$v.csv --out $O/$v.arrow; done
E $D/key2 --in $D/mixed.csv --out $O/mixed.arrow 2> $O/mixed.err || true
node "$CLI" match --coc $O/s50coc.arrow --mcp $O/spans-t1.arrow --out $O/s50links.csv --review $O/s50review.csv --model $O/s50model.json -q
for s in coc mcp; do E $D/febrl/key --in $D/febrl/$s.csv --out $O/f$s.arrow; done
node "$CLI" match --coc $O/fcoc.arrow --mcp $O/fmcp.arrow --out $O/flinks.csv --review $O/freview.csv --model $O/fmodel.json --report-json $O/freport.json -q
node "$CLI" match --coc $O/fcoc.arrow --mcp $O/fmcp.arrow --out $O/flinks-t2.csv --threads 2 -q
cd "$O"
# The output folder's name as it appears in the manifests, replaced literally (not as a pattern).
for f in *.manifest.json; do grep -v '"createdAt"' "$f" | O="$O" perl -pe 's/\Q$ENV{O}\E/OUT/g' > "$f.x" && mv "$f.x" "$f"; done
grep -v '"generatedAt"' freport.json > freport.x && mv freport.x freport.json
sha256sum $(ls | sort | grep -v '^flinks.csv.manifest.json$') | awk '{print substr($1, 1, 16), $2}'
