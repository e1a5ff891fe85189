#!/usr/bin/env bash
# Fuzzes the OTLP decoders with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz-otlp.sh [protobuf|json] [seconds, default 600]
#
# Builds Fuzz/ (a package of its own, never compiled by the main build) in release with SwiftPM's
# --sanitize=fuzzer --sanitize=address into .build-fuzz-<mode>, then runs it from the seeds in Fuzz/Corpus/<mode>,
# keeping what it finds in .build-fuzz/corpus/<mode>. Besides crashes and out-of-bounds reads,
# the harness checks each input against SwiftProtobuf and round-trips what decodes (see
# Fuzz/Sources/InfertopOTLP/FuzzChecks.swift). A failing input lands in .build-fuzz/artifacts/;
# replay it with: .build-fuzz-<mode>/release/FuzzOTLP<Mode> <file>
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-protobuf}
seconds=${2:-600}
case $mode in
    protobuf) product=FuzzOTLPProtobuf ;;
    json) product=FuzzOTLPJSON ;;
    *) echo "usage: $0 [protobuf|json] [seconds]" >&2; exit 2 ;;
esac
# A fresh scratch folder every time: SwiftPM 6.3 rebuilding in a folder it had already built
# with the sanitizers gave a binary without coverage instrumentation (6 coverage symbols against
# 1,222; libFuzzer then "found no interesting inputs" and never reached the decoder). The check
# below refuses to fuzz such a binary.
flags=(-c release --package-path Fuzz --scratch-path ".build-fuzz-$mode" --sanitize=fuzzer --sanitize=address)
rm -rf ".build-fuzz-$mode"
swift build "${flags[@]}" --product "$product"
bin="$(swift build "${flags[@]}" --show-bin-path)/$product"
if [ "$(nm "$bin" 2>/dev/null | grep -c __sancov)" -lt 100 ]; then
    echo "fuzz-otlp: $bin has no coverage instrumentation; libFuzzer would never reach the decoder" >&2
    exit 1
fi
work=.build-fuzz/corpus/$mode
mkdir -p "$work" .build-fuzz/artifacts
log=.build-fuzz/$mode.log
set +e
"$bin" -max_total_time="$seconds" -print_final_stats=1 -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix=".build-fuzz/artifacts/$mode-" "$work" "Fuzz/Corpus/$mode" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
echo "fuzz-otlp $mode: ${executions:-?} executions in ${seconds} s (exit status $status; log $log)"
exit "$status"
