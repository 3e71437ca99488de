#!/usr/bin/env bash
# Time from `bin/prism dev up` to every module healthy, and the memory of the running stack,
# over a few runs with a fresh PRISM_HOME each. Needs `make build` first; uses the default
# ports, so nothing else may hold them. Prints a Markdown table.
#
# Memory is read from /proc/PID/smaps_rollup after start-up has settled:
# - RSS counts every resident page a process maps, including the runtime and framework files
#   (libcoreclr, System.Private.CoreLib, ASP.NET Core) that all modules share, so a sum of
#   RSS counts those pages once per process;
# - PSS divides each shared page among the processes mapping it, so the sum of PSS is the
#   memory the stack occupies as a whole.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
core=(identity admin proxy console)

memory() { awk -v field="$1:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$2/smaps_rollup"; }
# CPU seconds (user + system) a process has used: fields 14 and 15 of /proc/PID/stat, counted after the command name.
cpu() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ printf "%.2f", ($12 + $13) / 100 }'; }

echo "| run | dev up → all healthy (s) | CPU used by then, five processes (s) | identity RSS / PSS (MB) | admin RSS / PSS (MB) | proxy RSS / PSS (MB) | console RSS / PSS (MB) | four modules: sum of RSS (MB) | four modules: sum of PSS (MB) | viewer (Aspire dashboard) RSS / PSS (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
  home=$(mktemp -d)
  start=$(date +%s.%N)
  PRISM_HOME="$home" bin/prism dev up >/dev/null
  end=$(date +%s.%N)
  started_cpu=0
  for service in "${core[@]}" telemetry; do
    started_cpu=$(awk -v a="$started_cpu" -v b="$(cpu "$(cat "$home/run/$service.pid")")" 'BEGIN { print a + b }')
  done
  sleep 2 # let start-up work settle before reading memory
  row="" rss_sum=0 pss_sum=0
  for service in "${core[@]}"; do
    pid=$(cat "$home/run/$service.pid")
    rss=$(memory Rss "$pid") pss=$(memory Pss "$pid")
    row+=" $rss / $pss |"
    rss_sum=$((rss_sum + rss)) pss_sum=$((pss_sum + pss))
  done
  viewer=$(cat "$home/run/telemetry.pid")
  viewer="$(memory Rss "$viewer") / $(memory Pss "$viewer")"
  PRISM_HOME="$home" bin/prism dev down >/dev/null
  rm -rf "$home"
  elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  printf "| %d | %.2f | %.2f |%s %d | %d | %s |\n" "$run" "$elapsed" "$started_cpu" "$row" "$rss_sum" "$pss_sum" "$viewer"
done
# For make bench's summary table: the last run.
printf "summary | dev-up | dev up → all healthy (s) | %.2f | < 2.00 |\n" "$elapsed"
printf "summary | dev-up | identity+admin+proxy+console PSS (MB) | %d.00 | < 250 |\n" "$pss_sum"
echo
echo "Targets (issue 15): under 2 s to healthy; identity + admin + proxy + console under 250 MB PSS (the viewer on its own)."

# Only identity, admin and proxy running: their PSS then shares the runtime pages among the three alone.
home=$(mktemp -d)
PRISM_HOME="$home" bin/prism dev up identity admin proxy >/dev/null
sleep 2
rss_sum=0 pss_sum=0
for service in identity admin proxy; do
  pid=$(cat "$home/run/$service.pid")
  rss_sum=$((rss_sum + $(memory Rss "$pid"))) pss_sum=$((pss_sum + $(memory Pss "$pid")))
done
PRISM_HOME="$home" bin/prism dev down >/dev/null
rm -rf "$home"
echo "identity+admin+proxy alone (dev up identity admin proxy): sum of RSS $rss_sum MB, sum of PSS $pss_sum MB"

# The same three modules hosted by one process (`prism serve --modules identity,admin,proxy`).
home=$(mktemp -d)
PRISM_HOME="$home" PRISM_METRICS_PORT=0 bin/prism serve --modules identity,admin,proxy >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf http://localhost:5556/dex/healthz >/dev/null && break; sleep 0.1; done
sleep 2
echo "identity+admin+proxy in one process (prism serve --modules identity,admin,proxy): RSS $(memory Rss "$pid") MB, PSS $(memory Pss "$pid") MB"
kill "$pid"
wait "$pid" 2>/dev/null || true
rm -rf "$home"
