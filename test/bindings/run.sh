#!/usr/bin/env bash
# The jsii bindings, built and run for real: jsii-pacmak builds the Python,
# Java and Go packages, and in each language the ports of the quickstart,
# the tenants-with-storage scenario and a disks-plus-high-performance VM must
# synthesize byte-identical manifests to the TypeScript programs
# (python.sh, java.sh, go.sh; README "Other languages").
#   bash test/bindings/run.sh
source "$(dirname "$0")/lib.sh"
start=$(now)
rm -rf "$OUT" dist-packages
mkdir -p "$OUT/ts"

t=$(now)
npx projen compile >/dev/null
step "jsii compile" "$t"

t=$(now)
npx jsii-pacmak --targets java,go --code-only
test -n "$(find dist-packages/java -name 'VirtualMachine.java' -print -quit)"
test -f dist-packages/go/cdk8skubevirt/VirtualMachine.go
step "jsii-pacmak java and go sources" "$t"

# The TypeScript programs: the reference manifests.
t=$(now)
CDK8S_OUTDIR="$OUT/ts/quickstart" npx ts-node -P examples/tsconfig.json examples/quickstart.ts 2>"$OUT/ts/quickstart.plan"
CDK8S_OUTDIR="$OUT/ts/tenants-with-storage" npx ts-node -P examples/tsconfig.json test/bindings/ts/tenants-with-storage.ts
CDK8S_OUTDIR="$OUT/ts/disks-and-performance" npx ts-node -P examples/tsconfig.json test/bindings/ts/disks-and-performance.ts
step "TypeScript programs" "$t"

bash test/bindings/python.sh
bash test/bindings/java.sh
bash test/bindings/go.sh

cat "$OUT"/{python,java,go}.summary
step "total" "$start"
