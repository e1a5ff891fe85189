#!/usr/bin/env bash
# Checks that the Swift sources are as `swift format` (the toolchain's, with .swift-format) writes
# them; generated files opt out with `// swift-format-ignore-file`. Prints the files that differ
# and exits 1. To fix: scripts/check-format.sh --fix (formats in place), then review and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/InfertopBenchmarks Benchmarks/Tools
    Fuzz/Package.swift Fuzz/Sources/InfertopOTLP/DecodeComparison.swift Fuzz/Sources/InfertopOTLP/FuzzChecks.swift
    Fuzz/Sources/OTLPDecodeCompare Fuzz/Sources/FuzzOTLPJSON Fuzz/Sources/FuzzOTLPProtobuf)
if [ "${1:-}" = "--fix" ]; then
    swift format format --in-place --recursive --parallel "${paths[@]}"
    exit 0
fi
bad=0
while IFS= read -r -d '' file; do
    if ! swift format format "$file" | cmp -s - "$file"; then
        echo "not formatted: $file" >&2
        bad=1
    fi
done < <(find "${paths[@]}" -name '*.swift' -type f -print0)
if [ "$bad" = 1 ]; then
    echo "run scripts/check-format.sh --fix, review and commit" >&2
    exit 1
fi
