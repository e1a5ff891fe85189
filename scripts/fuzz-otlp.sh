#!/usr/bin/env bash
# Fuzzes the OTLP decoders with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz-otlp.sh [protobuf|json] [seconds, default 600]
#
# Builds Fuzz/ (a package of its own, never compiled by the main build) in release with libFuzzer
# and AddressSanitizer into .build-fuzz-<mode>, then runs it from the seeds in Fuzz/Corpus/<mode>,
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
# The sanitizers go to swiftc as ONE flag. SwiftPM turns `--sanitize=fuzzer --sanitize=address`
# into two `-sanitize=` flags in the order of an unordered set, and swiftc keeps only the last
# one: `-sanitize=fuzzer -sanitize=address` compiles with ASan and no coverage (libFuzzer then
# never reaches the decoder), the other order with coverage and no ASan; which one a build got
# changed from run to run (checked with swiftc 6.3.1 on a one-line file). `--sanitize=fuzzer` stays
# so that SwiftPM lets libFuzzer supply main; `-Xswiftc -sanitize=fuzzer,address` comes after it
# on every compile and link line, so it wins. The checks below refuse a binary without both.
flags=(-c release --package-path Fuzz --scratch-path ".build-fuzz-$mode" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
rm -rf ".build-fuzz-$mode"
swift build "${flags[@]}" --product "$product"
bin="$(swift build "${flags[@]}" --show-bin-path)/$product"
if [ "$(nm "$bin" 2>/dev/null | grep -c __sancov)" -lt 100 ]; then
    echo "fuzz-otlp: $bin has no coverage instrumentation; libFuzzer would never reach the decoder" >&2
    exit 1
fi
decoder="$(dirname "$bin")/InfertopOTLP.build/OTLPDecoding.swift.o"
if [ "$(nm "$decoder" 2>/dev/null | grep -c __asan)" -lt 1 ]; then
    echo "fuzz-otlp: $decoder was compiled without AddressSanitizer" >&2
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
