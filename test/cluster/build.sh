#!/usr/bin/env bash
# Builds the real-cluster tools: every cmd/* of every Go module under
# test/cluster/ into .cluster/bin/, and the upstream main packages a module
# names, built as upstream's releases do (CGO_ENABLED=0): the packages its
# go.mod lists as tools, or, where a binary's name is not its package's last
# path element, the "<binary> <package>" lines of its upstream-cmds file
# (which then replaces the tool list; the package stays pinned by go.mod).
# Prints how long each module took.
#   test/cluster/build.sh            all modules
#   test/cluster/build.sh kube etcd  only these modules
# With CDK8S_KUBEVIRT_CACHE set (npm run test:conformance sets it), a module's binaries are kept
# there under a key made of the Go version and every Go source, go.mod and
# go.sum of the module and of test/cluster/internal, and copied back instead
# of linked again when nothing of that changed (the Go build cache already
# skips compiling; this skips linking the large tools as well).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# Each module builds on its own pins: the modules are on different
# Kubernetes lines (k8s.io/api v0.31 for CDI v1.65 up to v0.36), and a
# go.work, which selects one version of every module for all its members,
# would move them. No workspace from a parent folder may apply either.
export GOWORK=off

if ! command -v go >/dev/null 2>&1; then
  echo "cluster tools: 'go' is not on PATH; this tier needs Go 1.26+ and access to the Go module proxy (see README, 'Checking on a real cluster')" >&2
  exit 1
fi

bin="$root/.cluster/bin"
mkdir -p "$bin"
echo "Go $(go env GOVERSION), GOCACHE=$(go env GOCACHE) ($(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1 || echo empty)), GOMODCACHE=$(go env GOMODCACHE), GOPROXY=$(go env GOPROXY)"

# Builds the module in the current directory: its cmd/*, then its
# upstream-cmds or else the tools its go.mod lists.
build_module() {
  if [ -d cmd ]; then
    go build -o "$bin/" ./cmd/... || return
  fi
  if [ -f upstream-cmds ]; then
    local name pkg
    while read -r name pkg; do
      CGO_ENABLED=0 go build -o "$bin/$name" "$pkg" || return
    done <upstream-cmds
  elif grep -qE '^tool( |$)' go.mod; then
    CGO_ENABLED=0 go build -o "$bin/" tool || return
  fi
}

# The binaries build_module writes, one a line.
module_binaries() {
  if [ -d cmd ]; then (cd cmd && ls -d */ | tr -d /); fi
  if [ -f upstream-cmds ]; then
    cut -d' ' -f1 upstream-cmds
  elif grep -qE '^tool( |$)' go.mod; then
    go list tool 2>/dev/null | sed 's|.*/||' || true
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
  [ -d "$dir/cmd" ] || [ -f "$dir/upstream-cmds" ] || grep -qE '^tool( |$)' "$mod" || continue
  start=$(date +%s%N)
  tools=$(cd "$dir" && module_binaries | tr '\n' ' ')
  cached=""
  if [ -n "${CDK8S_KUBEVIRT_CACHE:-}" ]; then
    key=$( { go env GOVERSION GOOS GOARCH GOFLAGS CGO_ENABLED; cd "$root/test/cluster" && find "$name" internal -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -name upstream-cmds \) -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
    cached="$CDK8S_KUBEVIRT_CACHE/cluster-bin/$name-$key"
    if [ -f "$cached/.complete" ]; then
      for t in $tools; do cp "$cached/$t" "$bin/$t"; done
      awk -v n="$name" -v t="$tools" -v k="$key" -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "reused %-10s in %6.1fs: %s(inputs unchanged, key %s)\n", n, ns / 1e9, t, k }'
      built=$((built + 1))
      continue
    fi
  fi
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
  if [ -n "$cached" ]; then
    # keep only this key's binaries for the module
    rm -rf "$CDK8S_KUBEVIRT_CACHE/cluster-bin/$name-"*
    mkdir -p "$cached"
    for t in $tools; do cp "$bin/$t" "$cached/$t"; done
    touch "$cached/.complete"
  fi
  awk -v n="$name" -v t="$tools" -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "built %-10s in %6.1fs: %s\n", n, ns / 1e9, t }'
  built=$((built + 1))
done
if [ "$built" -eq 0 ]; then
  echo "cluster tools: no module under test/cluster matched: $*" >&2
  exit 1
fi
awk -v ns=$(( $(date +%s%N) - total )) 'BEGIN { printf "cluster tools built in %.1fs into .cluster/bin\n", ns / 1e9 }'
