#!/bin/bash
# Paired, alternating runs of clkhash-mode `encode` through two built CLIs (a baseline's and this
# tree's), --threads 1 and 2, ROUNDS times, niced; per run: wall, CPU and each busy thread's CPU
# (bench/thread-cpu.mjs), load; then whether every output is identical.
# Usage: bench/clkhash-cli-pair.sh BASE_CLI CSV SCHEMA SECRET [ROUNDS]   (writes clks-*.json here)
set -u
base=$1; csv=$2; schema=$3; secret=$4; rounds=${5:-3}
here=$(dirname "$0")
for _ in $(seq "$rounds"); do
  for cfg in "base 1" "branch 1" "base 2" "branch 2"; do
    set -- $cfg
    cli=$base; [ "$1" = branch ] && cli=$here/../dist/cli.js
    echo -n "$1, threads $2, load $(cut -d' ' -f1 /proc/loadavg): "
    nice -n 10 node "$here/thread-cpu.mjs" -- node "$cli" encode --schema "$schema" --in "$csv" --key "$secret" \
      --out "clks-$1-$2.json" --threads "$2" -q --allow-weak-secret 2>&1
  done
  md5sum clks-*-?.json | awk '{print $1}' | sort -u | wc -l | sed 's/^1$/outputs identical/;s/^[0-9]*$/OUTPUTS DIFFER/'
done
