#!/usr/bin/env bash
# Re-pin constraints.txt to what the registry serves today for dsday and its test extras.
# Run it on purpose, then run the whole suite and commit constraints.txt with the result.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install -q '.[test]'
{
  echo "# Pinned versions for the README's install and test commands (pip install -c constraints.txt ...)."
  echo "# Refresh on purpose: scripts/refresh_constraints.sh, then run the suite and commit."
  "$scratch/venv/bin/pip" freeze --exclude dsday | LC_ALL=C sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
