#!/usr/bin/env bash
# Measures one simulated agent's cost: CPU (share of one core) and memory (RSS, peak RSS)
# while one subscriber follows it at the default one reading per second.
#
#   scripts/measure-agent.sh            # builds release, then measures (prints `agent cpu% rss_mib`)
#   PORT=50561 SETTLE=5 WINDOW=30 scripts/measure-agent.sh
#   NO_BUILD=1 scripts/measure-agent.sh # reuse the release binaries
#   SPANS=48000 scripts/measure-agent.sh # first fill its span storage from the OpenTelemetry SDK
#
# It starts `infertop-agent --simulate --sim-node node-01 --sim-seed 7 --listen 127.0.0.1:$PORT`
# and one subscriber (`LatencyHarness --subscribe`, from the Benchmarks package: a bare
# AgentConnection printing what it receives), waits $SETTLE s, reads utime+stime from
# /proc/PID/stat at both ends of a $WINDOW s window, then VmRSS and VmHWM from /proc/PID/status.
# With SPANS=N, scripts/otlp-send-spans.py first sends N vLLM-like spans to the agent's OTLP/HTTP
# receiver (127.0.0.1:$OTLP_PORT, default 54318) with the Python SDK's batch exporter, before the
# settle time: the RSS then includes a full span storage. BIN_DIR=DIR uses the binaries in DIR
# (e.g. the main package's .build/release) instead of Benchmarks/.build; NO_SUBSCRIBER=1 measures
# with no subscriber (no LatencyHarness needed; stored spans then stay undelivered).
# Targets: under 1% of a core and under 40 MB RSS. Linux only (/proc).
#
# Both binaries are built in the Benchmarks package's release build (Benchmarks/.build), which
# also holds the main package's targets, so this does not touch the main package's .build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PORT=${PORT:-50561}
OTLP_PORT=${OTLP_PORT:-54318}
SPANS=${SPANS:-0}
SETTLE=${SETTLE:-5}
WINDOW=${WINDOW:-30}

cd Benchmarks
if [ -z "${NO_BUILD:-}" ]; then
    swift build -c release --product infertop-agent >&2
    swift build -c release --product LatencyHarness >&2
fi
bin=${BIN_DIR:-$(swift build -c release --show-bin-path)}
agent_bin="$bin/infertop-agent"
harness_bin="$bin/LatencyHarness"
[ -n "${NO_SUBSCRIBER:-}" ] && harness_bin=""
for b in "$agent_bin" ${harness_bin:+"$harness_bin"}; do
    [ -x "$b" ] || { echo "missing $b (run without NO_BUILD)" >&2; exit 1; }
done

logdir=$(mktemp -d)
agent_pid=""
sub_pid=""
cleanup() {
    [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
    [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$agent_bin" --simulate --sim-node node-01 --sim-seed 7 --listen "127.0.0.1:$PORT" \
    --otlp-http "127.0.0.1:$OTLP_PORT" --otlp-grpc off >"$logdir/agent.log" 2>&1 &
agent_pid=$!
# Wait for the port (the agent logs `level=info msg="listening" addr=HOST:PORT`).
for _ in $(seq 1 100); do
    grep -q 'msg="listening"' "$logdir/agent.log" 2>/dev/null && break
    kill -0 "$agent_pid" 2>/dev/null || { echo "the agent exited:" >&2; cat "$logdir/agent.log" >&2; exit 1; }
    sleep 0.1
done

if [ -n "$harness_bin" ]; then
    "$harness_bin" --subscribe "127.0.0.1:$PORT" --seconds $((SETTLE + WINDOW + 5)) >"$logdir/subscriber.log" 2>&1 &
    sub_pid=$!
else
    : >"$logdir/subscriber.log"
fi

if [ "$SPANS" -gt 0 ]; then
    python3 "$root/scripts/otlp-send-spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT/v1/traces" --spans "$SPANS" >&2
fi
sleep "$SETTLE"
ticks() { awk '{ print $14 + $15 }' "/proc/$agent_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(date +%s.%N)
c0=$(ticks)
sleep "$WINDOW"
c1=$(ticks)
t1=$(date +%s.%N)
rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$agent_pid/status")
hwm_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$agent_pid/status")
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$agent_pid/status")
updates=$(grep -c " update " "$logdir/subscriber.log" || true)

cpu=$(awk -v c0="$c0" -v c1="$c1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.2f", 100 * (c1 - c0) / hz / (t1 - t0) }')
rss=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
hwm=$(awk -v k="$hwm_kib" 'BEGIN { printf "%.1f", k / 1024 }')

echo "agent cpu% rss_mib"
echo "agent $cpu $rss"
echo "# window ${WINDOW}s after ${SETTLE}s: $((c1 - c0)) ticks at ${hz} Hz; peak RSS (VmHWM) ${hwm} MiB;" \
    "${threads} threads; the subscriber had received ${updates} updates; spans sent first: ${SPANS}"
cd "$root"
