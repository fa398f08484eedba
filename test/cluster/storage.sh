#!/usr/bin/env bash
# The storage pass (see cmd/cdi-storage in the cdi module): builds the cdi
# tools when Go is present and a source changed, then follows every
# DataVolume of the given YAML files or folders through CDI's own claim
# rendering, clone size check and clone planner, and through CDI's own
# controllers run against etcd and kube-apiserver from .cluster/bin.
#   test/cluster/storage.sh [flags] <files or folders of YAML>...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.cluster/bin"

if [ ! -x "$bin/cdi-storage" ] || [ -n "$(find "$root/test/cluster/cdi" "$root/test/cluster/internal" -newer "$bin/cdi-storage" \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print -quit)" ]; then
  if command -v go >/dev/null 2>&1; then
    "$root/test/cluster/build.sh" cdi >&2
  elif [ ! -x "$bin/cdi-storage" ]; then
    echo "check:storage: 'go' is not on PATH and cdi-storage is not built; this tier needs Go 1.26+ and access to the Go module proxy" >&2
    exit 1
  fi
fi
exec "$bin/cdi-storage" "$@"
