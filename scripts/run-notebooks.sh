#!/usr/bin/env bash
# Executes every notebook in examples/notebooks/ with the Deno Jupyter kernel and fails if a cell
# fails, so the notebooks never rot. Notebooks are committed WITH their outputs, so that people without
# Deno or Jupyter can read them (GitHub, any notebook viewer): `npm run notebooks` (--update) executes
# them and writes the outputs back in place. Also fails if a committed notebook has a code cell that
# was never executed or has no output (commit them as --update leaves them), or an output that looks
# like a key (64 hex digits): the outputs hold counts, codes and identifiers of the synthetic sample
# only. Every code cell ends with a value to show, so an executed cell without output is a failure
# here too, in CI's run as in --update's: scripts/execute-notebook.py runs each notebook with nbclient
# (what nbconvert uses) and also keeps the outputs Deno's kernel sends after it has reported a cell
# finished, which nbconvert dropped (1 to 3 cells per run); it says why.
#
# Needs only Node.js >= 20.19 with npm, and apt on Debian when Jupyter is missing:
#   - Jupyter's nbconvert: used from PATH when present; otherwise, as root, installed with
#     `apt-get install jupyter-nbconvert jupyter-client` (not root: the script says what to install).
#   - Deno: the `deno` npm package (the binary ships inside the registry package, nothing else is
#     downloaded), pinned below and installed once into a cache folder outside the repository.
#   - The kernel is registered in a private, temporary Jupyter folder: your own Jupyter set-up is
#     neither used nor changed.
#   - The library is built (npm run build) when dist/ is missing or older than src/: the notebooks
#     use the built package, as a user's project would.
#
# Usage: scripts/run-notebooks.sh [NOTEBOOK.ipynb ...]   (default: every notebook, in name order)
#        scripts/run-notebooks.sh --install-kernel      (for interactive use: registers the Deno kernel
#                                                        in your own Jupyter and builds the package)
#        scripts/run-notebooks.sh --update [NOTEBOOK ...] (npm run notebooks: executes them and writes
#                                                        the outputs into the committed notebooks)
#        scripts/run-notebooks.sh --clear [NOTEBOOK ...] (removes outputs, execution counts and run
#                                                        timings in place)
# Environment:
#   NOTEBOOK_OUT      folder for the executed copies (default: a temporary folder, removed at the end)
#   NOTEBOOK_TIMEOUT  seconds one cell may run (default 600)
#   NOTEBOOK_GRACE    seconds of kernel quiet after a cell before the next starts (default 1)
#   DENO              a deno binary to use instead of the pinned npm package
#   DENO_VERSION      version of the deno npm package (default below)
set -euo pipefail

DENO_VERSION=${DENO_VERSION:-2.9.6}
timeout=${NOTEBOOK_TIMEOUT:-600}
say() { printf '[notebooks] %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

install_kernel=false
clear=false
update=false
notebooks=()
for arg in "$@"; do
  case "$arg" in
    --install-kernel) install_kernel=true ;;
    --clear) clear=true ;;
    --update) update=true ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) notebooks+=("$(realpath "$arg")") ;;
  esac
done
cd "$(dirname "$0")/.."
if [ -n "${NOTEBOOK_OUT:-}" ]; then NOTEBOOK_OUT=$(realpath -m "$NOTEBOOK_OUT"); fi

# Deno must not look for updates: the only network this needs is the npm registry (and apt).
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR=1

install_deno() {
  if [ -n "${DENO:-}" ]; then
    "$DENO" --version >/dev/null 2>&1 || die "DENO=$DENO does not run"
    return
  fi
  local tools="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/bloomlink/deno-$DENO_VERSION"
  DENO="$tools/node_modules/.bin/deno"
  if ! "$DENO" --version >/dev/null 2>&1; then
    say "installing deno@$DENO_VERSION (npm) into $tools"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "deno@$DENO_VERSION" >/dev/null
    "$DENO" --version >/dev/null 2>&1 || die "deno@$DENO_VERSION was installed but does not run: $DENO"
  fi
}

build_if_stale() {
  if [ ! -f dist/index.js ] || [ ! -f dist/cli.js ] ||
    [ -n "$(find src -newer dist/index.js -print -quit)" ] ||
    [ -n "$(find src -newer dist/cli.js -print -quit)" ]; then
    say "building the package (npm run build)"
    npm run build --silent >/dev/null
  fi
}

if $install_kernel; then
  install_deno
  "$DENO" jupyter --install --force
  build_if_stale
  say "done: start Jupyter in examples/notebooks/ (e.g. 'jupyter notebook examples/notebooks') and pick the Deno kernel"
  exit 0
fi

if [ "${#notebooks[@]}" -eq 0 ]; then
  mapfile -t notebooks < <(find "$PWD/examples/notebooks" -maxdepth 1 -name '*.ipynb' | LC_ALL=C sort)
fi
[ "${#notebooks[@]}" -gt 0 ] || die "no notebooks found in examples/notebooks"

if $clear; then
  # Same layout as Jupyter's own files (one-space indent, trailing newline), so diffs stay small.
  node -e '
    const fs = require("node:fs");
    for (const file of process.argv.slice(1)) {
      const nb = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const c of nb.cells) {
        if (c.cell_type === "code") {
          c.outputs = [];
          c.execution_count = null;
        }
        delete c.metadata?.execution;
      }
      fs.writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
    }
  ' "${notebooks[@]}"
  say "cleared ${#notebooks[@]} notebook(s)"
  exit 0
fi

# 1. Committed notebooks hold the outputs of a run (made by --update), and nothing that looks like a key.
check_committed() {
  node -e '
    const fs = require("node:fs");
    let bad = 0;
    for (const file of process.argv.slice(1)) {
      const nb = JSON.parse(fs.readFileSync(file, "utf8"));
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const unrun = code.filter((c) => (c.execution_count ?? null) === null);
      if (unrun.length > 0) {
        console.error(`[notebooks] error: ${file}: ${unrun.length} code cell(s) were never executed; commit the notebooks with their outputs:`);
        console.error("  npm run notebooks");
        bad++;
      }
      const empty = code.flatMap((c, i) => ((c.outputs ?? []).length === 0 ? [i + 1] : []));
      if (empty.length > 0) {
        console.error(`[notebooks] error: ${file}: code cell(s) ${empty.join(", ")} (counting code cells) have no output (every cell ends with a value to show): run npm run notebooks`);
        bad++;
      }
      const keyLike = code.filter((c) => /(^|[^0-9a-fA-F])[0-9a-fA-F]{64}([^0-9a-fA-F]|$)/.test(JSON.stringify(c.outputs ?? [])));
      if (keyLike.length > 0) {
        console.error(`[notebooks] error: ${file}: ${keyLike.length} cell output(s) hold 64 hex digits (a key?); never print a key`);
        bad++;
      }
    }
    process.exit(bad > 0 ? 1 : 0);
  ' "$@"
}
$update || check_committed "${notebooks[@]}"

# 2. Jupyter: nbconvert and a kernel client.
if ! jupyter nbconvert --version >/dev/null 2>&1; then
  pkgs=(jupyter-nbconvert jupyter-client)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${pkgs[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    # Without package lists (a fresh machine) the first try fails; then update and try again.
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; }
  else
    die "Jupyter's nbconvert is missing: run 'sudo apt-get install ${pkgs[*]}' (Debian/Ubuntu) and try again"
  fi
  jupyter nbconvert --version >/dev/null 2>&1 || die "jupyter nbconvert does not run after installing ${pkgs[*]}"
fi

# The Python that runs Jupyter (nbclient, which nbconvert depends on, is beside it).
python=$(head -n 1 "$(command -v jupyter-nbconvert || command -v jupyter)" | sed -e 's/^#! *//' -e 's/ .*//')
"$python" -c 'import nbclient, nbformat' 2>/dev/null || python=python3
"$python" -c 'import nbclient, nbformat' 2>/dev/null || die "Python's nbclient is missing (it comes with jupyter-nbconvert)"

# 3. Deno, from the npm registry, cached per version outside the repository.
install_deno

# 4. A private Jupyter set-up holding only the Deno kernel (deno writes the kernel spec under
#    $XDG_DATA_HOME/jupyter, with the absolute path of its own binary).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
XDG_DATA_HOME="$scratch/data" "$DENO" jupyter --install --force >/dev/null 2>&1 ||
  die "'deno jupyter --install' failed"
[ -f "$scratch/data/jupyter/kernels/deno/kernel.json" ] || die "the Deno kernel spec was not written"
export JUPYTER_PATH="$scratch/data/jupyter" JUPYTER_CONFIG_DIR="$scratch/config"
export JUPYTER_RUNTIME_DIR="$scratch/runtime"

# 5. The built package the notebooks import (and whose CLI they run).
build_if_stale

# 6. Execute each notebook into the output folder; a cell that throws fails its notebook, and so does a
#    code cell that came back without output (every cell ends with a value to show).
empty_cells() {
  node -e '
    const nb = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const code = nb.cells.filter((c) => c.cell_type === "code");
    console.log(code.flatMap((c, i) => ((c.outputs ?? []).length === 0 ? [i + 1] : [])).join(" "));
  ' "$1"
}

out=${NOTEBOOK_OUT:-$scratch/executed}
mkdir -p "$out"
failed=()
start=$SECONDS
for nb in "${notebooks[@]}"; do
  name=${nb#"$PWD/"}
  t=$SECONDS
  if "$python" scripts/execute-notebook.py "$nb" "$out" --timeout "$timeout" --kernel deno >"$scratch/log" 2>&1; then
    empty=$(empty_cells "$out/$(basename "$nb")")
    if [ -z "$empty" ]; then
      say "ok   $name ($((SECONDS - t)) s; $(grep -o 'late outputs kept: [0-9]*' "$scratch/log" || true))"
    else
      say "FAIL $name ($((SECONDS - t)) s): code cell(s) $empty (counting code cells) came back without output"
      failed+=("$name")
    fi
  else
    say "FAIL $name ($((SECONDS - t)) s)"
    # From nbconvert's log: the failing cell and its error, not Python's own traceback.
    if grep -q 'CellExecutionError: ' "$scratch/log"; then
      sed -n '/CellExecutionError: /,$p' "$scratch/log" >&2
    else
      grep -v 'is unstable and might change' "$scratch/log" >&2 || true
    fi
    failed+=("$name")
  fi
done
say "${#notebooks[@]} notebook(s) in $((SECONDS - start)) s"
[ "${#failed[@]}" -eq 0 ] || die "${#failed[@]} notebook(s) failed: ${failed[*]}"

# 7. --update: the executed copies replace the committed notebooks, without run timings and with the
#    repository's absolute path written as <repo> (the outputs must not depend on where it was run).
if $update; then
  node -e '
    const fs = require("node:fs");
    const path = require("node:path");
    const [out, repo, ...files] = process.argv.slice(1);
    for (const file of files) {
      const nb = JSON.parse(fs.readFileSync(path.join(out, path.basename(file)), "utf8"));
      for (const c of nb.cells) delete c.metadata?.execution;
      const text = `${JSON.stringify(nb, null, 1)}\n`.split(repo).join("<repo>");
      fs.writeFileSync(file, text);
    }
  ' "$out" "$PWD" "${notebooks[@]}"
  check_committed "${notebooks[@]}"
  say "wrote the outputs into ${#notebooks[@]} notebook(s)"
fi
if [ -n "${NOTEBOOK_OUT:-}" ]; then say "executed copies in $NOTEBOOK_OUT"; fi
