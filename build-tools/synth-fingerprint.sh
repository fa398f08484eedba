#!/usr/bin/env bash
# Prints one sha256 line per manifest the repository's programs synthesize,
# so that two commits can be compared byte for byte (a restructuring must not
# change a single byte):
#   - each example that builds an App (examples/main.ts, quickstart.ts), and
#     the fleet plan lines of examples/fleet-plan.ts;
#   - the fixtures the real-component tier synthesizes (the data-plane
#     scenarios, the storage and launcher fixtures, every optional platform
#     part);
#   - with a corpus folder (CDK8S_KUBEVIRT_CORPUS of a jest run), the names of
#     its synthesized documents, which are the sha256 of their bodies, left
#     out the property suites', whose inputs are random on every run.
# Usage, from the repository root:
#   bash build-tools/synth-fingerprint.sh OUT [CORPUS]      writes OUT.sums
#   diff before.sums after.sums
set -euo pipefail
out=$1 corpus=${2:-}
rm -rf "$out"
mkdir -p "$out/examples"
ts() { npx ts-node -P "$1" "${@:2}"; }
for program in examples/*.ts; do
  name=$(basename "$program" .ts)
  if [ "$name" = fleet-plan ]; then
    ts examples/tsconfig.json "$program" >"$out/examples/fleet-plan.txt"
  elif grep -q 'app.synth()' "$program"; then
    npx cdk8s synth --no-check-upgrade --app "npx ts-node -P examples/tsconfig.json $program" --output "$out/examples/$name" >/dev/null
  fi
done
ts test/tsconfig.json test/dataplane/scenarios.ts "$out/dataplane" >/dev/null 2>&1
ts examples/tsconfig.json test/cluster/storage-fixtures.ts "$out/storage-fixtures" >/dev/null
ts examples/tsconfig.json test/cluster/launcher-fixtures.ts "$out/launcher-fixtures" >/dev/null
ts test/tsconfig.json test/platform-check/all-parts.ts "$out/platform-all" >/dev/null
(cd "$out" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$out.sums"
if [ -n "$corpus" ]; then
  for doc in "$corpus"/synth-docs/*.yaml; do
    case "$(head -n 1 "$doc")" in
      *.property.test.ts:*|*/properties.test.ts:*) ;;
      *) echo "corpus $(basename "$doc")" ;;
    esac
  done | LC_ALL=C sort >>"$out.sums"
fi
echo "$(grep -vc '^corpus ' "$out.sums") program outputs, $(grep -c '^corpus ' "$out.sums" || true) corpus documents: $out.sums"
