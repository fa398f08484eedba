#!/usr/bin/env bash
# Python: jsii-pacmak's wheel in a fresh venv with cdk8s, cdk8s-plus-33 and
# constructs from PyPI (the versions package.json pins for npm); the Python
# ports of the programs must synthesize byte-identical manifests, and a
# user's mistakes must get messages that name them. Run by run.sh.
source "$(dirname "$0")/lib.sh"
start=$(now)
rm -rf "$OUT/python" "$OUT/venv"
mkdir -p "$OUT/python"

t=$(now)
npx jsii-pacmak --targets python
ls dist-packages/python/*.whl
step "python: jsii-pacmak wheel" "$t"

t=$(now)
python3 -m venv "$OUT/venv"
PY="$OUT/venv/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check dist-packages/python/*.whl \
  "cdk8s==$(pin cdk8s)" "constructs==$(pin constructs)" "cdk8s-plus-33==$(pin cdk8s-plus-33)"
step "python: venv and install" "$t"

# the README shows the Python quickstart exactly as it runs here
diff test/bindings/python/quickstart.py <(readme_block python)

t=$(now)
CDK8S_OUTDIR="$OUT/python/quickstart" "$PY" test/bindings/python/quickstart.py 2>"$OUT/python/quickstart.plan"
CDK8S_OUTDIR="$OUT/python/tenants-with-storage" "$PY" test/bindings/python/tenants_with_storage.py
CDK8S_OUTDIR="$OUT/python/disks-and-performance" "$PY" test/bindings/python/disks_and_performance.py
"$PY" test/bindings/python/mistakes.py
"$PY" -O test/bindings/python/mistakes.py
step "python: programs" "$t"
compare python
step "python: total" "$start"
