#!/usr/bin/env bash
# Builds the real-cluster tools: every cmd/* of every Go module under
# test/cluster/ into .cluster/bin/, printing how long each module took. A
# module's upstream-cmds file names upstream main packages to build as they
# are, one "<binary> <package>" a line (the package pinned by its go.mod).
#   test/cluster/build.sh            all modules
#   test/cluster/build.sh kube etcd  only these modules
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "cluster tools: 'go' is not on PATH; this tier needs Go 1.26+ and access to the Go module proxy (see README, 'Checking on a real cluster')" >&2
  exit 1
fi

bin="$root/.cluster/bin"
mkdir -p "$bin"
echo "Go $(go env GOVERSION), GOCACHE=$(go env GOCACHE) ($(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1 || echo empty)), GOMODCACHE=$(go env GOMODCACHE), GOPROXY=$(go env GOPROXY)"

# Builds the module in the current directory: its cmd/* and upstream-cmds.
build_module() {
  if [ -d cmd ]; then
    go build -o "$bin/" ./cmd/... || return
  fi
  if [ -f upstream-cmds ]; then
    local name pkg
    while read -r name pkg; do
      go build -o "$bin/$name" "$pkg" || return
    done <upstream-cmds
  fi
}

total=$(date +%s%N)
built=0
for mod in "$root"/test/cluster/*/go.mod; do
  dir="$(dirname "$mod")"
  name="$(basename "$dir")"
  if [ "$#" -gt 0 ] && [[ " $* " != *" $name "* ]]; then
    continue
  fi
  [ -d "$dir/cmd" ] || [ -f "$dir/upstream-cmds" ] || continue
  start=$(date +%s%N)
  if ! out=$(cd "$dir" && build_module 2>&1); then
    # A module the Go module proxy refuses to serve cannot be built here;
    # when every module is asked for, say which and go on with the others.
    if [ "$#" -eq 0 ] && grep -q 'This module version is not available' <<<"$out"; then
      echo "skipped $name: the Go module proxy does not serve a module it needs: $(grep -m1 -B1 'This module version is not available' <<<"$out" | grep -o '[A-Za-z0-9./_-]*@v[A-Za-z0-9.+_-]*' | head -n1 || true)" >&2
      continue
    fi
    echo "$out" >&2
    exit 1
  fi
  [ -z "$out" ] || echo "$out" >&2
  tools=$( (cd "$dir" && { [ ! -d cmd ] || ls -d cmd/*/; [ ! -f upstream-cmds ] || cut -d' ' -f1 upstream-cmds; }) | sed 's|^cmd/||; s|/$||' | tr '\n' ' ')
  awk -v n="$name" -v t="$tools" -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "built %-10s in %6.1fs: %s\n", n, ns / 1e9, t }'
  built=$((built + 1))
done
if [ "$built" -eq 0 ]; then
  echo "cluster tools: no module under test/cluster matched: $*" >&2
  exit 1
fi
awk -v ns=$(( $(date +%s%N) - total )) 'BEGIN { printf "cluster tools built in %.1fs into .cluster/bin\n", ns / 1e9 }'
