#!/usr/bin/env bash
# Renders the virt-launcher pod of every VM of the manifests with KubeVirt's
# own code and checks the selectors and host names against those pods (see
# cmd/launcher-pods in the kubevirt module); builds the KubeVirt tools first
# when Go is present and they are missing or older than their sources.
#   test/cluster/launcher.sh [--assume-kubevirt=default|open] <files or folders of YAML>...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tool="$root/.cluster/bin/launcher-pods"

stale=""
if [ ! -x "$tool" ] || [ -n "$(find "$root/test/cluster/kubevirt" "$root/test/cluster/internal" -newer "$tool" \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print -quit)" ]; then
  stale=1
fi
if [ -n "$stale" ] && command -v go >/dev/null 2>&1; then
  "$root/test/cluster/build.sh" kubevirt >&2
elif [ ! -x "$tool" ]; then
  echo "check:launcher: 'go' is not on PATH and launcher-pods is not built; this tier needs Go 1.26+ and access to the Go module proxy (see README, 'Checking on a real cluster')" >&2
  exit 1
fi
exec "$tool" "$@"
