# Shared by the language scripts of test/bindings (sourced, not run).
# run.sh builds the TypeScript reference manifests into $OUT/ts first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=.tmp/bindings
# the programs every language runs, by the name of their reference output
PROGRAMS=(quickstart tenants-with-storage disks-and-performance)
now() { date +%s; }
step() { echo "bindings: $1 ($(( $(now) - $2 ))s)"; }
pin() { node -p "require('./package.json').devDependencies['$1']"; }

# readme_block LANG: the README's first fenced block of that language
readme_block() { awk -v fence="\`\`\`$1" '$0 == fence {on=1; next} on && /^```$/ {exit} on' README.md; }

# compare LANG: each program's manifests must be byte-identical to the
# TypeScript program's, and the quickstart's fleet plan line identical too
# (the last line of stderr: the jsii runtime may print a Node notice first).
compare() {
  local lang=$1 program
  for program in "${PROGRAMS[@]}"; do
    test -d "$OUT/$lang/$program" || { echo "bindings: $lang $program wrote no manifests" >&2; return 1; }
    diff -r "$OUT/ts/$program" "$OUT/$lang/$program"
  done
  diff <(tail -n 1 "$OUT/ts/quickstart.plan") <(tail -n 1 "$OUT/$lang/quickstart.plan")
  echo "$lang: ${#PROGRAMS[@]} programs byte-identical to TypeScript" | tee "$OUT/$lang.summary"
}
