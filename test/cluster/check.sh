#!/usr/bin/env bash
# Checks manifests on a real control plane (see cmd/check-cluster in the
# kube module): builds the tools when Go is present, then runs the check.
#   test/cluster/check.sh [flags] <files or folders of YAML>...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.cluster/bin"

# Build when a tool is missing or a module changed since the last build.
stale=""
for tool in etcd kube-apiserver check-cluster; do
  [ -x "$bin/$tool" ] || stale=1
done
if [ -z "$stale" ] && [ -n "$(find "$root/test/cluster" -newer "$bin/check-cluster" \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print -quit)" ]; then
  stale=1
fi
if [ -n "$stale" ] && command -v go >/dev/null 2>&1; then
  "$root/test/cluster/build.sh" >&2
elif [ ! -x "$bin/check-cluster" ]; then
  echo "check:cluster: 'go' is not on PATH and the tools are not built; this tier needs Go 1.26+ and access to the Go module proxy (see README, 'Checking on a real cluster')" >&2
  exit 1
fi
exec "$bin/check-cluster" "$@"
