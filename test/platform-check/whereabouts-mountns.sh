#!/usr/bin/env bash
# Runs the whereabouts DaemonSet's container as the synthesized output writes
# it, in a mount namespace of its own, and says whether the shell reaches the
# IP control loop.
#
#   test/platform-check/whereabouts-mountns.sh <synth dir> <bin dir>
#
# <bin dir> holds whereabouts, ip-control-loop and ip-reconciler built from the
# pinned module as its hack/build-go.sh does, e.g. in the folder that
# `go mod download -json github.com/k8snetworkplumbingwg/whereabouts@v0.9.4`
# prints: CGO_ENABLED=0 go build -o <bin dir>/ip-control-loop ./cmd/controlloop/
# (and ./cmd/ for whereabouts, ./cmd/reconciler/ for ip-reconciler). The container's root holds only what upstream's
# Dockerfile puts in the image (the three binaries and script/install-cni.sh,
# lib.sh, token-watcher.sh at /), a stand-in for the image's base system
# (the host's /usr read-only, with bash as /bin/sh since the scripts use
# ash's 'source' and '=='), a stand-in service account, and the
# DaemonSet's volume mounts bind-mounted from a stand-in host root. No API
# server runs: the control loop is reached when ip-control-loop logs its
# first lines. The container gets its own PID namespace too, so the
# background token watcher ends with it. Needs root (unshare, mount, chroot).
set -euo pipefail
root_dir="$(cd "$(dirname "$0")/../.." && pwd)"
synth=$1
bin=$(cd "$2" && pwd)
module=$(cd "$(mktemp -d)" && go mod download -json github.com/k8snetworkplumbingwg/whereabouts@v0.9.4 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
host=$work/host
rootfs=$work/root
mkdir -p "$host/opt/cni/bin" "$host/etc/cni/net.d" "$rootfs"

# The container as the output writes it: command, args, env names, mounts.
node -e '
const YAML = require(process.argv[2]);
const fs = require("fs");
const docs = fs.readdirSync(process.argv[1]).filter(f => f.endsWith(".yaml"))
  .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(`${process.argv[1]}/${f}`, "utf-8")).map(d => d.toJSON()));
const ds = docs.find(d => d && d.kind === "DaemonSet" && d.metadata.name === "whereabouts");
const pod = ds.spec.template.spec;
const c = pod.containers.find(x => x.name === "whereabouts");
const hostPaths = Object.fromEntries(pod.volumes.filter(v => v.hostPath).map(v => [v.name, v.hostPath.path]));
const mounts = c.volumeMounts.filter(m => hostPaths[m.name]).map(m => `${hostPaths[m.name]}\t${m.mountPath}`);
fs.writeFileSync(process.argv[3], JSON.stringify([...(c.command ?? []), ...(c.args ?? [])]));
fs.writeFileSync(process.argv[4], mounts.join("\n") + "\n");
' "$synth" "$root_dir/node_modules/yaml" "$work/argv.json" "$work/mounts.tsv"

# The image: binaries and scripts at /, as upstream's Dockerfile copies them.
for b in whereabouts ip-control-loop ip-reconciler; do cp "$bin/$b" "$rootfs/$b"; done
for s in install-cni.sh lib.sh token-watcher.sh; do cp "$module/script/$s" "$rootfs/$s"; chmod +x "$rootfs/$s"; done
mkdir -p "$rootfs/bin" "$rootfs/usr" "$rootfs/etc" "$rootfs/proc" "$rootfs/tmp" "$rootfs/dev"
# the base system's paths: /bin/sh is bash, the rest comes from /usr
ln -s /usr/bin/bash "$rootfs/bin/sh"
for d in lib lib64 sbin; do ln -s "usr/$d" "$rootfs/$d"; done
for tool in md5sum awk sed cat cp mkdir rm sleep chmod ls; do ln -sf "$(readlink -f "$(command -v $tool)")" "$rootfs/bin/$tool"; done
echo node-a >"$rootfs/etc/hostname"
sa=$rootfs/var/run/secrets/kubernetes.io/serviceaccount
mkdir -p "$sa"
echo stand-in-token >"$sa/token"
echo kube-system >"$sa/namespace"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=stand-in-ca -keyout /dev/null -out "$sa/ca.crt" -days 1 2>/dev/null

mount_script=$work/mounts.sh
{
  echo 'set -e'
  echo "mount --rbind $(readlink -f /usr) $rootfs/usr && mount -o remount,bind,ro $rootfs/usr"
  echo "mount -t proc proc $rootfs/proc"
  echo "mount --rbind /dev $rootfs/dev"
  while IFS=$'\t' read -r hp mp; do
    [ -n "$hp" ] || continue
    mkdir -p "$host$hp" "$rootfs$mp"
    echo "mount --bind $host$hp $rootfs$mp"
  done <"$work/mounts.tsv"
} >"$mount_script"

argv=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf-8")).map(a => `'"'"'${a.replace(/'"'"'/g, `'"'"'\\'"'"''"'"'`)}'"'"'`).join(" "))' "$work/argv.json")
echo "container command: $(cat "$work/argv.json")"
echo "mounts (host path -> container path):"
sed 's/^/  /; s/\t/ -> /' "$work/mounts.tsv"
set +e
timeout -s KILL 20 unshare --kill-child -m -p -f --propagation private -- bash -c "
  bash $mount_script
  exec chroot $rootfs /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin NODENAME=node-a WHEREABOUTS_NAMESPACE=kube-system \
    KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=1 $argv
" >"$work/out.log" 2>&1
status=$?
set -e
sed 's/^/  | /' "$work/out.log" | head -40 || true
echo "installed on the stand-in host: $(ls "$host/opt/cni/bin" | tr '\n' ' ')"
# ip-control-loop's first lines (cmd/controlloop): it filters pods by node,
# then fails or starts its informers against the (absent) API server.
if grep -qE "Filtering pods with filter key|could not create the pod networks controller|Starting informer factories" "$work/out.log"; then
  echo "whereabouts: the container reached the IP control loop (container exit status $status; no API server runs)"
  exit 0
fi
echo "whereabouts: the IP control loop did not start within 20s (exit status $status, 137 is the timeout)"
exit 1
