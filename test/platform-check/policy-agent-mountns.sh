#!/usr/bin/env bash
# Runs the multi-networkpolicy DaemonSet's container as the synthesized output
# writes it, in mount and PID namespaces of its own, with a stand-in CRI
# socket on a stand-in host root, and says whether the agent reached it.
#
#   test/platform-check/policy-agent-mountns.sh <synth dir> <agent binary>
#
# <agent binary> is multi-networkpolicy-iptables built from the pinned commit
# as its Dockerfile does (CGO_ENABLED=0 go build ./cmd/multi-networkpolicy-iptables/).
# The container's root holds only the binary at /usr/bin (where the
# Dockerfile copies it), a stand-in service account, and the DaemonSet's
# hostPath mounts bound from the stand-in host root, where cri-standin listens
# at the node path the --container-runtime-endpoint argument names (the part
# after any unix://). No API server runs: the agent dials the CRI socket
# before it talks to the API server (pkg/server/server.go NewServer). Needs
# root (unshare, mount, chroot) and the go command.
set -euo pipefail
root_dir="$(cd "$(dirname "$0")/../.." && pwd)"
synth=$1
agent=$(readlink -f "$2")

work=$(mktemp -d)
standin_pid=
cleanup() {
  if [ -n "$standin_pid" ]; then kill "$standin_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
host=$work/host
rootfs=$work/root
mkdir -p "$host" "$rootfs/usr/bin" "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp"

node -e '
const YAML = require(process.argv[2]);
const fs = require("fs");
const docs = fs.readdirSync(process.argv[1]).filter(f => f.endsWith(".yaml"))
  .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(`${process.argv[1]}/${f}`, "utf-8")).map(d => d.toJSON()));
const ds = docs.find(d => d && d.kind === "DaemonSet" && d.metadata.name === "multi-networkpolicy");
const pod = ds.spec.template.spec;
const c = pod.containers.find(x => x.name === "multi-networkpolicy");
const hostPaths = Object.fromEntries(pod.volumes.filter(v => v.hostPath).map(v => [v.name, v.hostPath.path]));
const mounts = c.volumeMounts.filter(m => hostPaths[m.name]).map(m => `${hostPaths[m.name]}\t${m.mountPath}`);
fs.writeFileSync(process.argv[3], [...(c.command ?? []), ...(c.args ?? [])].join("\n") + "\n");
fs.writeFileSync(process.argv[4], mounts.join("\n") + "\n");
' "$synth" "$root_dir/node_modules/yaml" "$work/argv" "$work/mounts.tsv"
mapfile -t argv <"$work/argv"
endpoint=$(sed -n 's/^--container-runtime-endpoint=//p' "$work/argv")
socket=$host${endpoint#unix://}

cp "$agent" "$rootfs/usr/bin/multi-networkpolicy-iptables"
sa=$rootfs/var/run/secrets/kubernetes.io/serviceaccount
mkdir -p "$sa"
echo stand-in-token >"$sa/token"
echo kube-system >"$sa/namespace"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=stand-in-ca -keyout /dev/null -out "$sa/ca.crt" -days 1 2>/dev/null

(cd "$root_dir" && go build -o "$work/cri-standin" ./test/platform-check/cri-standin/main.go)
"$work/cri-standin" "$socket" >"$work/standin.log" 2>&1 &
standin_pid=$!
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done

mount_script=$work/mounts.sh
{
  echo 'set -e'
  echo "mount -t proc proc $rootfs/proc"
  echo "mount --rbind /dev $rootfs/dev"
  while IFS=$'\t' read -r hp mp; do
    [ -n "$hp" ] || continue
    mkdir -p "$host$hp" "$rootfs$mp"
    echo "mount --rbind $host$hp $rootfs$mp"
  done <"$work/mounts.tsv"
} >"$mount_script"

echo "container command: ${argv[*]}"
echo "mounts (host path -> container path):"
sed 's/^/  /; s/\t/ -> /' "$work/mounts.tsv"
echo "stand-in CRI socket: ${socket#"$host"} on the stand-in host"
set +e
timeout -s KILL 25 unshare --kill-child -m -p -f --propagation private -- bash -c "
  bash $mount_script
  exec env -i KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=1 $(command -v chroot) $rootfs \"\$@\"
" bash "${argv[@]}" >"$work/out.log" 2>&1
status=$?
set -e
grep -vE "^\s*$" "$work/out.log" | cut -c1-300 | head -12 | sed 's/^/  | /' || true
sed 's/^/  standin | /' "$work/standin.log"
if grep -q "cri-standin: connection" "$work/standin.log" && ! grep -q "failed to get cri client" "$work/out.log"; then
  echo "policy agent: reached the CRI socket (agent exit status $status; no API server runs)"
  exit 0
fi
echo "policy agent: did not reach the CRI socket (exit status $status)"
exit 1
