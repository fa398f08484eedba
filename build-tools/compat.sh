#!/usr/bin/env bash
# Compares the compiled API (.jsii) with the last release's, failing on a
# breaking change. The baseline is kept as compat/last-release/assembly.json,
# not as a file named .jsii: jsii-docgen reads every .jsii under the project
# and would document the baseline instead of the current API (same name and
# version). jsii-diff gets the baseline as a package in a temporary folder
# outside the project, resolving its dependencies from this node_modules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="$(mktemp -d)"
trap 'rm -rf "$base"' EXIT
cp "$root/compat/last-release/assembly.json" "$base/.jsii"
cp "$root/compat/last-release/package.json" "$base/package.json"
ln -s "$root/node_modules" "$base/node_modules"
cd "$root"
npx --no-install jsii-diff "$base" . --keys
