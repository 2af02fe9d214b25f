#!/usr/bin/env bash
# CI entry for the Python model code: run from anywhere, tests run from the repo root.
# pytest exits 5 when it collected no tests; that is a failure here, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 -m pytest -q model/tests "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "no tests were collected" >&2
  exit 1
fi
exit "$status"
