#!/usr/bin/env bash
# Time from `bin/prism dev up` to every module healthy, and the resident memory of the running
# stack, over a few runs with a fresh PRISM_HOME each. Needs `make build` first; uses the default
# ports, so nothing else may hold them. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}

echo "| run | dev up → all healthy (s) | identity RSS (MB) | admin RSS (MB) | proxy RSS (MB) | telemetry RSS (MB) | identity+admin+proxy (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
  home=$(mktemp -d)
  start=$(date +%s.%N)
  PRISM_HOME="$home" bin/prism dev up >/dev/null
  end=$(date +%s.%N)
  sleep 2 # let start-up work settle before reading memory
  declare -A rss=()
  for service in identity admin proxy telemetry; do
    pid=$(cat "$home/run/$service.pid")
    rss[$service]=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  done
  PRISM_HOME="$home" bin/prism dev down >/dev/null
  rm -rf "$home"
  core=$((rss[identity] + rss[admin] + rss[proxy]))
  printf "| %d | %.2f | %s | %s | %s | %s | %d |\n" "$run" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "${rss[identity]}" "${rss[admin]}" "${rss[proxy]}" "${rss[telemetry]}" "$core"
done
echo
echo "Targets (issue 6): under 3 s to healthy, under 300 MB for identity + admin + proxy."

# The same three modules hosted by one process (`prism serve --modules identity,admin,proxy`).
home=$(mktemp -d)
PRISM_HOME="$home" PRISM_METRICS_PORT=0 bin/prism serve --modules identity,admin,proxy >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf http://localhost:5556/dex/healthz >/dev/null && break; sleep 0.1; done
sleep 2
awk '/VmRSS/ { printf "identity+admin+proxy in one process (prism serve --modules identity,admin,proxy): %.0f MB\n", $2 / 1024 }' "/proc/$pid/status"
kill "$pid"
wait "$pid" 2>/dev/null || true
rm -rf "$home"
