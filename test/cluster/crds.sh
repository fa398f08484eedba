#!/usr/bin/env bash
# Builds the CRD tools of the Go modules under test/cluster and writes the
# upstream CustomResourceDefinitions to .cluster/crds/<component>/*.yaml,
# where the schema tests read them.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v go >/dev/null 2>&1; then
  echo "cluster:crds needs the Go toolchain (1.26 or newer, https://go.dev/dl/) with access to the Go module proxy: install Go and run again." >&2
  exit 1
fi

bin="$PWD/.cluster/bin"
out=.cluster/crds
mkdir -p "$bin"
for mod in test/cluster/*/go.mod; do
  dir=$(dirname "$mod")
  tools=$(cd "$dir" && ls -d cmd/*-crds 2>/dev/null || true)
  [ -n "$tools" ] || continue
  start=$SECONDS
  (cd "$dir" && for t in $tools; do nice -n 10 go build -o "$bin/" "./$t"; done)
  echo "built the CRD tools of $dir in $((SECONDS - start))s"
done

rm -rf "$out.tmp"
mkdir -p "$out.tmp"
# The tools log what the linked upstream code logs; show it only on failure.
for tool in "$bin"/*-crds; do
  if ! "$tool" "$out.tmp" 2>.cluster/crds.log; then
    cat .cluster/crds.log >&2
    echo "$(basename "$tool") failed" >&2
    exit 1
  fi
done
rm -rf "$out"
mv "$out.tmp" "$out"
echo "wrote $(find "$out" -name '*.yaml' | wc -l) CRDs to $out"
