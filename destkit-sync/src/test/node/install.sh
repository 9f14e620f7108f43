#!/usr/bin/env bash
# Installs the node_modules of source-faros-test when they are missing or older
# than package-lock.json. npm output goes to stderr so stdout stays clean.
set -euo pipefail

script_dir="${BASH_SOURCE[0]%/*}"
[[ "$script_dir" == "${BASH_SOURCE[0]}" ]] && script_dir=.
dir="$(cd "$script_dir" && pwd)/source-faros-test"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install.sh: '$tool' is not on PATH; Node.js 18+ with npm is required to run $dir" >&2
    exit 2
  fi
done

modules="$dir/node_modules"
if [[ ! -d "$modules" || "$dir/package-lock.json" -nt "$modules" ]]; then
  echo "install.sh: npm ci in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) 1>&2
  # npm ci does not always update the directory's mtime; mark it fresh.
  touch "$modules"
fi
