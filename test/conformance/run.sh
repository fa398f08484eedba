#!/usr/bin/env bash
# The real-component tier (`npm run test:conformance`): everything that runs
# the upstream components themselves rather than Node. Needs root (apt-get,
# network and mount namespaces), Go 1.26+ and the Go module proxy, Rust
# (rustc 1.88 or later, for nmstate) and Debian (apt-get installs what is
# missing). Each step prints how long it took, so cold-cache costs show.
#
# Inputs, each reused when the caller vouches for it:
#   - the test corpus (see test/util.ts): the folder CDK8S_KUBEVIRT_CORPUS
#     names; when it is not set, `npm run corpus` records .tmp/corpus first;
#   - dist/, the example cluster: synthesized again (npm run synth:example)
#     unless it is newer than every file of src/ and examples/.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "test:conformance needs root (apt-get, network and mount namespaces), Go 1.26+ with the Go module proxy, Rust (cargo, rustc 1.88+) and Debian packages (installed when missing)"
if [ "$(id -u)" -ne 0 ]; then
  echo "test:conformance: not root; run it as root (sudo npm run test:conformance); npm test is the Node-only part" >&2
  exit 1
fi
# The host-network pass builds a small nmstate program (Rust, nmstate 2.2
# needs rustc 1.88 or later): use rustup's toolchain when present.
if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
for tool in go cargo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test:conformance: '$tool' is not on PATH (Go 1.26+ and Rust 1.88+ are needed)" >&2; exit 1; }
done

# Build outputs kept between runs on the same machine, each under a key of
# all its inputs: the Go tools' binaries and the upstream CRDs
# (test/cluster/build.sh, crds.sh), and the nmstate program's cargo target
# (cargo's own fingerprints decide what to rebuild). A cold machine builds
# everything; a warm one links nothing it linked before.
export CDK8S_KUBEVIRT_CACHE="${CDK8S_KUBEVIRT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-kubevirt}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CDK8S_KUBEVIRT_CACHE/nmstate-apply-target}"
mkdir -p "$CDK8S_KUBEVIRT_CACHE" .tmp

step() {
  local name=$1 start=$SECONDS
  shift
  echo "== ${name}"
  "$@"
  echo "== ${name}: $((SECONDS - start))s"
}

# A step that mostly waits (network probes with timeouts) runs beside a step
# that mostly computes: in_background starts it with its output kept aside,
# and background_done waits, prints that output with its own timing lines and
# fails when it failed.
bg_pid="" bg_log=""
in_background() {
  bg_log=$(mktemp)
  ( "$@" ) >"$bg_log" 2>&1 &
  bg_pid=$!
}
background_done() {
  local status=0
  wait "$bg_pid" || status=$?
  cat "$bg_log"
  rm -f "$bg_log"
  return "$status"
}

# The Debian packages the oracles come from (CNI plugins, cloud-init,
# Graphviz, librsvg, tesseract, iproute2, iptables, nc, ping, dhclient,
# OpenSSH), installed when missing.
step "Debian packages" bash build-tools/install-test-deps.sh

# The committed upstream CRDs (test/upstream-crds) against what the pinned Go
# modules generate: any difference, or a file the generator adds or drops,
# fails the step (regenerate with npm run cluster:crds and commit).
crds_drift() {
  local status=0 untracked
  test/cluster/crds.sh
  git diff --exit-code --stat -- test/upstream-crds || status=1
  untracked=$(git ls-files --others --exclude-standard -- test/upstream-crds)
  if [ -n "$untracked" ]; then
    echo "not committed: ${untracked}"
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "test/upstream-crds differs from what the pinned modules generate: run npm run cluster:crds and commit the result" >&2
  fi
  return "$status"
}
step "upstream CRDs match the pinned modules" crds_drift

# The test corpus: what the jest suites synthesized (test/util.ts).
if [ -z "${CDK8S_KUBEVIRT_CORPUS:-}" ]; then
  step "test corpus (npm run corpus)" npm run corpus
  export CDK8S_KUBEVIRT_CORPUS=.tmp/corpus
fi
corpus=$CDK8S_KUBEVIRT_CORPUS
# the passes below read it, and add what their own suites synthesize
export CDK8S_KUBEVIRT_CORPUS="$corpus"
if [ ! -d "$corpus/synth-docs" ]; then
  echo "test:conformance: $corpus/synth-docs is missing: record the corpus with npm run corpus (or unset CDK8S_KUBEVIRT_CORPUS)" >&2
  exit 1
fi
for part in synth-docs cni-configs nmstate-policies property-cases; do
  echo "corpus ${corpus}/${part}: $(find "$corpus/$part" -type f 2>/dev/null | wc -l) files"
done

# The example cluster (the README's main job), unless dist/ is newer than
# every source it comes from.
if [ ! -f dist/node-requirements.md ] || [ -n "$(find src examples -newer dist/node-requirements.md -print -quit)" ]; then
  step "synth example" npm run synth:example
fi

# Every NAD config of the corpus (and a few made by the suite) through the
# real CNI plugins: ADD, CHECK, DEL in throwaway network namespaces.
step "CNI plugins on the corpus's NAD configs" npx jest --ci --coverage=false --config test/conformance/cni/jest.config.json
# Every policy of the corpus applied by nmstate itself (its Rust crate,
# kernel mode) in a throwaway network namespace, read back with ip.
step "nmstate program build" cargo build --release --locked --quiet --manifest-path test/conformance/nmstate/apply/Cargo.toml
step "nmstate on the corpus's policies" npx jest --ci --coverage=false --config test/conformance/nmstate/jest.config.json
# The platform's node parts (CNI plugins, ovs-cni, dhcp daemon) run as a node
# runs them: binaries built from the pinned modules, a mount namespace per
# container, the DaemonSets' volumes from a stand-in host root.
step "node parts in mount namespaces (CNI plugins, ovs-cni, dhcp daemon)" npx jest --ci --coverage=false --config test/conformance/nodeparts/jest.config.json

# Which guest user receives which SSH key, decided by the installed
# cloud-init's own user and key code: on the example cluster, then on every
# output the tests synthesized (each file an app of its own; VMs without
# cloud-init or keys are left out of the log). Fails on a key that reaches
# no user who can log in.
step "cloud-init users and keys of dist/" test/conformance/cloudinit/users-keys.sh dist
users_keys_corpus() {
  local out status=0
  out=$(mktemp)
  test/conformance/cloudinit/users-keys.sh --each-file "$corpus/synth-docs" >"$out" || status=$?
  grep -vE '(: no cloud-init|: no SSH keys)$' "$out" || true
  rm -f "$out"
  return "$status"
}
step "cloud-init users and keys of the test corpus" users_keys_corpus
# The rendered picture: labels at least 8 px high at 1000 px, and every
# network and VM group name read back by OCR (rsvg-convert, tesseract).
step "topology picture" npx ts-node -P examples/tsconfig.json test/conformance/check-topology-svg.ts dist

# The real-cluster tier: build the Go tools (etcd, kube-apiserver,
# check-cluster and the KubeVirt/CDI admission and RBAC tools) from the Go
# module proxy with whatever Go caches this machine has, show that each stage
# refuses known-bad objects, check the example cluster as one apply, then
# check the objects every test synthesized, each file alone. Both must pass.
step "cluster tools build" test/cluster/build.sh
# The library's hand-kept upstream tables against what the Go tools read
# from the pinned modules: KubeVirt feature gates and stages, CDI gates,
# KubeVirt defaults, the API enums and one-of members the library's enums
# mirror, the webhooks' allow-lists and Hyper-V dependencies, the
# CommonInstancetype sizes (virt-operator's common-instancetypes bundle),
# CDI's enums and storage facts (overhead, alignment, padding, checksums,
# cron schedules), the KubeVirt/CDI/CNI annotation and label keys the
# library writes, Multus's log levels, the reference CNI plugins, macvlan
# modes, the bridge plugin's default bridge and the snapshot deletion
# policies; and KubeVirt's control-plane placement (virt-operator's
# Deployment, and what virt-operator derives for virt-api from the library's
# KubeVirt CR). Every difference is printed and fails the step.
step "upstream fact tables" env REQUIRE_CLUSTER_TOOLS=1 npx jest --coverage=false test/platform/upstream-facts.test.ts
# The networking node parts of the platform as a node runs them, each
# DaemonSet container's command, args and volume mounts as synthesized in a
# mount namespace holding the image's binaries (built from the pinned
# modules) and a stand-in node root: Multus's thick daemon against a real
# kube-apiserver holding a pod and a NetworkAttachmentDefinition, with a CNI
# ADD and DEL through the multus-shim it installed (and the DaemonSet without
# the node's /opt/cni/bin refused: ADD fails to find the plugin); whereabouts
# reaching its IP control loop; the MultiNetworkPolicy agent dialling a
# stand-in CRI socket (skipped, saying so, when the Go module proxy does not
# serve the agent's module).
step "node parts in mount namespaces (Multus ADD/DEL, whereabouts, policy agent)" npx jest --ci --coverage=false --config test/conformance/nodeparts/platform-parts.jest.config.json
for m in internal/manifests internal/controlplane kube kubevirt cdi netcrds cnao velero; do
  step "cluster tier self-test ($m)" bash -c "cd test/cluster/$m && CI=1 go test ./..."
done
# The MultiNetworkPolicy traffic test needs netpolicy-rules, which the build
# above skips (saying so) when the Go module proxy does not serve the
# enforcer's module.
if [ -x .cluster/bin/netpolicy-rules ]; then
  step "cluster tier self-test (netpolicy)" bash -c "cd test/cluster/netpolicy && CI=1 go test ./..."
  step "MultiNetworkPolicy traffic (the enforcer's own rules)" npx jest --ci --config test/conformance/netpolicy/jest.config.json
else
  echo "== MultiNetworkPolicy traffic: skipped, netpolicy-rules is not built (see the cluster tools build above)"
fi
step "cluster check of dist/" npm run check:cluster -- dist
# The day-2 example (examples/day2.ts): a VM snapshot, its restore into a
# new VM, a clone, an export, a Velero schedule with the Velero part, a
# template and a pool, on the same control plane and KubeVirt's, CDI's and
# the API server's own admission; the health pack below judges its waves.
step "day-2 example: synth" npm run --silent synth:day2
step "cluster check of the day-2 example" npm run check:cluster -- dist-day2
# The Argo CD health pack judged by Argo CD v3.2.12's own code (its settings
# code reads the synthesized argocd-cm, gitops-engine's health check runs the
# Lua): every sample of test/gitops/health-samples must get the status its
# "# expect:" line names, the matrix must equal the README's
# (test/gitops/health-matrix.md), and every object of dist/ must end Healthy
# so that Argo CD's sync waves finish; so must every object of a cluster
# synthesized with sync waves on that holds VMs kept stopped by their run
# strategy and a DataVolume on storage that may be WaitForFirstConsumer
# (test/gitops/gitops-fixtures.ts), which Argo CD's built-in checks must block.
argocd_health() {
  local d=.tmp/gitops
  rm -rf "$d"
  npx ts-node -P test/tsconfig.json test/gitops/gitops-fixtures.ts "$d"
  .cluster/bin/argocd-health samples --markdown "$d/health-matrix.md" "$d/argocd-cm.yaml" test/gitops/health-samples | tail -n 1
  diff -u test/gitops/health-matrix.md "$d/health-matrix.md"
  .cluster/bin/argocd-health waves "$d/argocd-cm.yaml" test/gitops/health-samples dist
  .cluster/bin/argocd-health waves "$d/argocd-cm.yaml" test/gitops/health-samples dist-day2
  .cluster/bin/argocd-health waves "$d/argocd-cm.yaml" test/gitops/health-samples "$d/waves"
  if .cluster/bin/argocd-health waves --built-in "$d/argocd-cm.yaml" test/gitops/health-samples "$d/waves" >"$d/built-in.log" 2>&1; then
    echo "Argo CD's built-in checks let the waves of $d/waves finish: the waves check cannot tell" >&2
    return 1
  fi
  echo "without the pack, as expected: $(grep -c '^BLOCKS' "$d/built-in.log") objects of $d/waves block the sync"
  (cd test/cluster/argocd && CI=1 go test ./...)
}
step "Argo CD health pack and sync waves (Argo CD's own health code)" argocd_health
# Every platform object against upstream's install at the pinned versions
# (module manifests and the operators' generators built above): the example
# platform, then one with every optional part on at its defaults. A
# difference fails unless test/platform-check/accepted-differences.yaml lists
# it with its reason; only the unlisted ones and the counts are printed.
platform_check() {
  local out status=0
  out=$(mktemp)
  npm run check:platform -- "$1" >"$out" 2>&1 || status=$?
  grep -vE "^(DIFF|>)" "$out" | grep -v '^$' || true
  rm -f "$out"
  return "$status"
}
platform_check_all_parts() {
  npx ts-node -P test/tsconfig.json test/platform-check/all-parts.ts .tmp/platform-all && platform_check .tmp/platform-all
}
step "platform check of dist/" platform_check dist
step "platform check, every optional part" platform_check_all_parts
# The storage pass: every disk of the example cluster through CDI's own claim
# rendering, clone size check and clone planner, then through CDI's own
# DataVolume, populator, import and DataSource controllers run against etcd
# and kube-apiserver (about 20s each), on Filesystem storage (CDI
# pads imports there) and on Block storage whose CSI driver registers no
# CSIDriver object (CDI's legacy import path unless a DataVolume asks for its
# populators). A stall, a copy-on-write clone that CDI would copy
# host-assisted, or a snapshot that may precede its import fails the step.
# Each example fleet's plan is compared with what CDI does for its disks.
step "fleet plans as JSON" bash -c 'npx ts-node -P examples/tsconfig.json test/cluster/fleet-plans.ts > .tmp/fleet-plans.json'
step "storage pass of dist/ (Filesystem)" npm run check:storage -- --plans .tmp/fleet-plans.json dist
step "storage pass of dist/ (Block, no CSIDriver object)" npm run check:storage -- --volume-mode Block --no-csi-driver-object --plans .tmp/fleet-plans.json dist
# The golden images kept up to date by a DataImportCron (none in the example
# cluster): CDI's DataImportCron controller must import each cron's newest
# digest and make the DataSource it manages Ready.
step "storage pass of the import crons" bash -c 'rm -rf .tmp/storage-fixtures && npx ts-node -P examples/tsconfig.json test/cluster/storage-fixtures.ts .tmp/storage-fixtures && npm run --silent check:storage -- .tmp/storage-fixtures'
# The virt-launcher pods KubeVirt's own code renders for every VM of the
# examples (dist/ and the README's quickstart) and of the fleets the check is
# shown on (test/cluster/launcher-fixtures.ts): one line per pod, then every
# selector that names a VM's label and every host name checked against those
# pods; a MISMATCH fails the step.
launcher_check() {
  rm -rf .tmp/launcher-quickstart .tmp/launcher-fixtures
  npx cdk8s synth --no-check-upgrade --app "npx ts-node -P examples/tsconfig.json examples/quickstart.ts" --output .tmp/launcher-quickstart >/dev/null
  npx ts-node -P examples/tsconfig.json test/cluster/launcher-fixtures.ts .tmp/launcher-fixtures
  npm run --silent check:launcher -- dist
  npm run --silent check:launcher -- .tmp/launcher-quickstart
  npm run --silent check:launcher -- .tmp/launcher-fixtures
}
step "launcher pods of the examples" launcher_check
# The README's quickstart states its fleet's plan under the code (a jest test
# holds the README to the plan the example prints); here that plan meets
# what CDI's controllers do with the quickstart's disks (synthesized above).
step "storage pass of the README quickstart" bash -c 'npx ts-node -P examples/tsconfig.json test/cluster/fleet-plans.ts quickstart > .tmp/quickstart-plans.json && npm run --silent check:storage -- --plans .tmp/quickstart-plans.json .tmp/launcher-quickstart'

# The data-plane pass: the example cluster and the scenarios of
# test/dataplane/scenarios.ts built in network namespaces from real parts
# (nmstate, the CNI plugins, whereabouts' own plugin against a test
# kube-apiserver, KubeVirt's own bridge-binding setup, DHCP server and taps
# from the cluster tools built above, guests taking leases with dhclient, and
# the enforcer's rules when .cluster/bin/netpolicy-rules is built) and probed
# pair by pair;
# a MISMATCH with the matrix the constructs intend fails the step. The
# configurations under refused/ are what the library refuses at synth time,
# put together around its checks: each must be caught (a MISMATCH and a
# non-zero exit), which shows the pass sees the VLAN leak, the macvlan that
# drops a bridged guest's traffic, the policies that filter nothing and a
# planned address whereabouts hands to another pod.
dataplane() {
  local status=0 dir out
  rm -rf .tmp/dataplane
  npx ts-node -P test/tsconfig.json test/dataplane/scenarios.ts .tmp/dataplane 2>/dev/null
  for dir in dist .tmp/dataplane/*/; do
    [ "$dir" = .tmp/dataplane/refused/ ] && continue
    echo "-- ${dir}"
    if out=$(npm run --silent check:dataplane -- "$dir" 2>&1); then
      grep -E "pairs:" <<<"$out"
    else
      echo "$out" | grep -E "MISMATCH|pairs:|rror" | head -n 40
      status=1
    fi
  done
  for dir in .tmp/dataplane/refused/*/; do
    echo "-- ${dir} (must be caught)"
    out=$(npm run --silent check:dataplane -- "$dir" 2>&1) && { echo "$out"; echo "not caught: ${dir}"; status=1; continue; }
    grep -E "pairs:" <<<"$out"
    grep -m1 MISMATCH <<<"$out" || { echo "$out" | tail -n 20; echo "failed without a MISMATCH: ${dir}"; status=1; }
  done
  return "$status"
}
# Then whereabouts v0.9.4's own plugin against the test control plane (etcd,
# kube-apiserver, its CRDs): a live migration's target pod gets another
# address, and deleting the source pod hands the address the guest keeps to
# the next pod (kubevirt#13709, what the library warns about); a used-up pool
# is refused.
dataplane_steps() {
  step "data-plane pass" dataplane
  step "whereabouts on kube-apiserver (kubevirt#13709)" env REQUIRE_CLUSTER_TOOLS=1 npx jest --ci --coverage=false test/dataplane/whereabouts.test.ts
}
# Both mostly wait on probes, leases and timeouts: they run beside the corpus
# check below, and their output follows it.
in_background dataplane_steps
# Most test outputs carry no KubeVirt CR (the platform is left out, so the
# output targets a cluster configured for what it uses): --assume-kubevirt=open
# judges those against a KubeVirt with every feature gate on and any machine
# type; a file with its own KubeVirt CR is judged against it. Only the refusals
# and the summary lines are printed; the step fails when any file fails.
# The README's Argo CD Application and Flux objects (examples/gitops) are
# checked in the same run, against the Argo CD and Flux CRDs of
# test/upstream-crds/{argocd,flux}.
gitops_examples=(examples/gitops/application.yaml examples/gitops/flux.yaml)
corpus_check() {
  local out status
  out=$(mktemp)
  status=0
  npm run check:cluster -- --each-file --create-namespaces --assume-kubevirt=open "$corpus/synth-docs" "${gitops_examples[@]}" >"$out" 2>&1 || status=$?
  grep -E "^(FAIL|DRIFT|KubeVirt admission|operator RBAC|checked|drift |mutating webhooks|[0-9]+ objects, |[0-9]+ passed)" "$out" || true
  if [ "$status" -ne 0 ] && ! grep -qE "^[0-9]+ passed" "$out"; then
    tail -n 20 "$out"
  fi
  rm -f "$out"
  return "$status"
}
step "cluster check of the test corpus" corpus_check
background_done
