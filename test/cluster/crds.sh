#!/usr/bin/env bash
# Builds the CRD tools of the Go modules under test/cluster and writes the
# upstream CustomResourceDefinitions to test/upstream-crds/<component>/*.yaml.
# That folder is committed, so `npm test` needs no Go: the schema tests, the
# cluster tools and the data-plane pass read it. Run this after changing a
# pinned module and commit the result; CI runs it and fails when the
# committed copy differs (git diff --exit-code -- test/upstream-crds).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v go >/dev/null 2>&1; then
  echo "cluster:crds needs the Go toolchain (1.26 or newer, https://go.dev/dl/) with access to the Go module proxy: install Go and run again." >&2
  exit 1
fi

bin="$PWD/.cluster/bin"
out=test/upstream-crds
mkdir -p "$bin"

# With CDK8S_KUBEVIRT_CACHE set (npm run test:conformance sets it), the CRDs are kept there under a
# key made of the Go version and every Go source, go.mod and go.sum of the
# modules with a CRD tool and of test/cluster/internal, and copied back when
# none of that changed.
cached=""
if [ -n "${CDK8S_KUBEVIRT_CACHE:-}" ]; then
  mods=$(for m in test/cluster/*/cmd/*-crds; do echo "${m%%/cmd/*}"; done | sort -u)
  key=$( { go env GOVERSION GOOS GOARCH GOFLAGS; find $mods test/cluster/internal -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
  cached="$CDK8S_KUBEVIRT_CACHE/crds-$key"
  if [ -f "$cached/.complete" ]; then
    rm -rf "$out"
    mkdir -p "$out"
    cp -r "$cached/." "$out/"
    rm -f "$out/.complete"
    echo "reused $(find "$out" -name '*.yaml' | wc -l) CRDs in $out (inputs unchanged, key $key)"
    exit 0
  fi
fi
for mod in test/cluster/*/go.mod; do
  dir=$(dirname "$mod")
  tools=$(cd "$dir" && ls -d cmd/*-crds 2>/dev/null || true)
  [ -n "$tools" ] || continue
  start=$SECONDS
  (cd "$dir" && for t in $tools; do nice -n 10 go build -o "$bin/" "./$t"; done)
  echo "built the CRD tools of $dir in $((SECONDS - start))s"
done

tmp=.cluster/crds.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
# The tools log what the linked upstream code logs; show it only on failure.
for tool in "$bin"/*-crds; do
  if ! "$tool" "$tmp" 2>.cluster/crds.log; then
    cat .cluster/crds.log >&2
    echo "$(basename "$tool") failed" >&2
    exit 1
  fi
done
rm -rf "$out"
mv "$tmp" "$out"
if [ -n "$cached" ]; then
  rm -rf "$CDK8S_KUBEVIRT_CACHE"/crds-*
  mkdir -p "$cached"
  cp -r "$out/." "$cached/"
  touch "$cached/.complete"
fi
echo "wrote $(find "$out" -name '*.yaml' | wc -l) CRDs to $out"
