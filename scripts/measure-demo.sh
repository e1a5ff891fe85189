#!/usr/bin/env bash
# Measures the demo's footprint over time: `infertop demo` runs in a detached tmux session at
# 200x50 (16 agents and a hot spare, spans flowing), and every $EVERY seconds this prints the
# elapsed time, VmRSS, VmHWM and the CPU share of one core over that interval.
#
#   scripts/measure-demo.sh                          # release binary, 11 minutes, a line a minute
#   BIN=.build/debug/infertop MINUTES=3 EVERY=30 scripts/measure-demo.sh
#
# Variables: BIN (default .build/release/infertop), MINUTES (11), EVERY (60), SESSION (tmux
# session name, default infertop-measure-$$). Linux only (/proc). The clock tick is 10 ms, so
# over 60 s one tick is 0.017% of a core. Stops the demo (q) and the session at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/infertop}
MINUTES=${MINUTES:-11}
EVERY=${EVERY:-60}
SESSION=${SESSION:-infertop-measure-$$}
[ -x "$BIN" ] || { echo "missing $BIN (swift build -c release --product infertop)" >&2; exit 1; }

tmux new-session -d -s "$SESSION" -x 200 -y 50 "$BIN demo"
trap 'tmux send-keys -t "$SESSION" q 2>/dev/null; sleep 1; tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT
pid=""
for _ in $(seq 1 100); do
    pid=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}' 2>/dev/null || true)
    [ -n "$pid" ] && [ -r "/proc/$pid/status" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { echo "the demo did not start" >&2; exit 1; }

hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
kib() { awk -v k="$1" '$1 == k ":" { print $2 }' "/proc/$pid/status"; }
echo "seconds rss_mib hwm_mib cpu%"
start=$(date +%s.%N)
c0=$(ticks)
t0=$start
end=$(awk -v s="$start" -v m="$MINUTES" 'BEGIN { printf "%.3f\n", s + 60 * m }')
while :; do
    sleep "$EVERY"
    kill -0 "$pid" 2>/dev/null || { echo "the demo exited" >&2; exit 1; }
    c1=$(ticks)
    t1=$(date +%s.%N)
    awk -v t="$t1" -v s="$start" -v r="$(kib VmRSS)" -v h="$(kib VmHWM)" -v c0="$c0" -v c1="$c1" -v hz="$hz" \
        -v t0="$t0" 'BEGIN { printf "%d %.1f %.1f %.2f\n", t - s, r / 1024, h / 1024, 100 * (c1 - c0) / hz / (t - t0) }'
    c0=$c1
    t0=$t1
    awk -v t="$t1" -v e="$end" 'BEGIN { exit !(t >= e) }' && break
done
