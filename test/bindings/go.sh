#!/usr/bin/env bash
# Go: the module proxy serves constructs-go and jsii-runtime-go but not the
# cdk8s modules, so jsii-pacmak generates cdk8s's and cdk8s-plus-33's Go
# modules from the jsii assemblies their npm packages ship, as it generates
# this library's; test/bindings/go/go.mod replaces the three with those
# directories (a replace to a directory never writes to the module cache),
# and the Go ports of the programs must synthesize byte-identical manifests.
# Run by run.sh (after it generated dist-packages/go).
source "$(dirname "$0")/lib.sh"
start=$(now)
rm -rf "$OUT/go" "$OUT/go-bin" "$OUT/deps/go"
mkdir -p "$OUT/go"
export GOWORK=off GOFLAGS=-mod=mod

t=$(now)
npx jsii-pacmak --target go --code-only -o "$OUT/deps" node_modules/cdk8s node_modules/cdk8s-plus-33
test -f "$OUT/deps/go/cdk8s/go.mod" && test -f "$OUT/deps/go/cdk8splus33/go.mod"
step "go: cdk8s and cdk8s-plus-33 modules (jsii-pacmak)" "$t"

# the README shows the Go quickstart exactly as it runs here
diff test/bindings/go/quickstart/main.go <(readme_block go)

t=$(now)
(cd test/bindings/go && go vet ./... && go build -o "$PWD/../../../$OUT/go-bin/" ./...)
step "go: programs built" "$t"

t=$(now)
CDK8S_OUTDIR="$OUT/go/quickstart" "$OUT/go-bin/quickstart" 2>"$OUT/go/quickstart.plan"
CDK8S_OUTDIR="$OUT/go/tenants-with-storage" "$OUT/go-bin/tenantswithstorage"
CDK8S_OUTDIR="$OUT/go/disks-and-performance" "$OUT/go-bin/disksandperformance"
step "go: programs" "$t"
compare go

# the generated modules were used from their directories: the module cache
# holds no copy of them that a later build could take instead (a refused
# download leaves only a lock file)
cache=$(go env GOMODCACHE)
for module in github.com/cdk8s-team github.com/cdk8s-kubevirt; do
  if [ -e "$cache/$module" ] || [ -n "$(find "$cache/cache/download/$module" \( -name '*.mod' -o -name '*.zip' \) -print -quit 2>/dev/null)" ]; then
    echo "bindings: the Go module cache holds $module, which must come from the generated directories" >&2
    exit 1
  fi
done
step "go: total" "$start"
