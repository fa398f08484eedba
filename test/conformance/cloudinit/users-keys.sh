#!/usr/bin/env bash
# Runs users-keys.py with the Python interpreter of the installed cloud-init
# (the one its launcher names), so that cloud-init's modules import.
set -euo pipefail
launcher=$(command -v cloud-init || true)
if [ -z "$launcher" ]; then
  echo "cloud-init is not installed (Debian package cloud-init)" >&2
  exit 2
fi
python=$(head -n 1 "$launcher" | sed -e 's/^#![[:space:]]*//' -e 's/[[:space:]].*$//')
if [ "$(basename "$python")" = env ]; then python=python3; fi
exec "$python" "$(dirname "$0")/users-keys.py" "$@"
