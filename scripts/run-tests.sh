#!/usr/bin/env bash
# Runs every test project of the solution and ends with one summary line
# ("tests: N passed, N failed, N skipped"). Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Prism.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

read -r passed failed skipped < <(awk '
  /(Passed|Failed)!  *- Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { print p+0, f+0, s+0 }' "$log")
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "run-tests: no test ran" >&2
  exit 1
fi
exit "$status"
