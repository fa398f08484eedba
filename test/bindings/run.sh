#!/usr/bin/env bash
# The jsii bindings, built and run for real: jsii-pacmak builds the Python
# wheel, a fresh venv installs it with cdk8s, cdk8s-plus-33 and constructs
# from PyPI (the versions package.json pins for npm), and the Python ports of
# the quickstart and of the tenants-with-storage scenario must synthesize
# byte-identical manifests to the TypeScript programs. Java and Go sources
# sources are generated; they are not compiled because the registries here
# serve neither the cdk8s-plus-33 Maven artifact nor the cdk8s Go modules
# (see README "Other languages").
#   bash test/bindings/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.tmp/bindings
rm -rf "$OUT" dist-packages
mkdir -p "$OUT/ts" "$OUT/python"
now() { date +%s; }
step() { echo "bindings: $1 ($(( $(now) - $2 ))s)"; }
pin() { node -p "require('./package.json').devDependencies['$1']"; }

t=$(now)
npx projen compile >/dev/null
step "jsii compile" "$t"

t=$(now)
npx jsii-pacmak --targets python
ls dist-packages/python/*.whl
step "jsii-pacmak python" "$t"

t=$(now)
npx jsii-pacmak --targets java,go --code-only
test -n "$(find dist-packages/java -name 'VirtualMachine.java' -print -quit)"
test -f dist-packages/go/cdk8skubevirt/VirtualMachine.go
# the generated Go parses (it cannot be built: see above)
if command -v gofmt >/dev/null; then gofmt -e dist-packages/go >/dev/null; fi
step "jsii-pacmak java and go sources" "$t"

# The TypeScript programs: the reference manifests.
t=$(now)
CDK8S_OUTDIR="$OUT/ts/quickstart" npx ts-node -P examples/tsconfig.json examples/quickstart.ts 2>"$OUT/ts/quickstart.plan"
CDK8S_OUTDIR="$OUT/ts/tenants-with-storage" npx ts-node -P examples/tsconfig.json test/bindings/ts/tenants-with-storage.ts
step "TypeScript programs" "$t"

# Python: a fresh venv, the wheel, its peers from PyPI.
t=$(now)
python3 -m venv "$OUT/venv"
PY="$OUT/venv/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check dist-packages/python/*.whl \
  "cdk8s==$(pin cdk8s)" "constructs==$(pin constructs)" "cdk8s-plus-33==$(pin cdk8s-plus-33)"
step "Python venv and install" "$t"

# the README shows the Python quickstart exactly as it runs here
awk '/^```python$/ {on=1; next} on && /^```$/ {exit} on' README.md > "$OUT/python/readme-quickstart.py"
diff test/bindings/python/quickstart.py "$OUT/python/readme-quickstart.py"

t=$(now)
CDK8S_OUTDIR="$OUT/python/quickstart" "$PY" test/bindings/python/quickstart.py 2>"$OUT/python/quickstart.plan"
CDK8S_OUTDIR="$OUT/python/tenants-with-storage" "$PY" test/bindings/python/tenants_with_storage.py
for program in quickstart tenants-with-storage; do
  diff -r "$OUT/ts/$program" "$OUT/python/$program"
  echo "bindings: python $program: $(ls "$OUT/python/$program" | wc -l) manifest file(s), byte-identical to TypeScript"
done
# the plan is the last line (the jsii runtime may print a Node support notice first)
diff <(tail -n 1 "$OUT/ts/quickstart.plan") <(tail -n 1 "$OUT/python/quickstart.plan")
echo "bindings: python quickstart plan identical: $(tail -n 1 "$OUT/python/quickstart.plan")"
"$PY" test/bindings/python/mistakes.py
"$PY" -O test/bindings/python/mistakes.py
step "Python programs" "$t"
