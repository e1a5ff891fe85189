#!/usr/bin/env bash
# Spans a second through the hand-written OTLP decoders and the library alternatives
# (SwiftProtobuf's generated types; Codable through JSONDecoder): Fuzz/Sources/InfertopOTLP/
# DecodeComparison.swift. Builds the Fuzz package in release, without sanitizers, into
# .build-fuzz-compare.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --package-path Fuzz --scratch-path .build-fuzz-compare --product OTLPDecodeCompare >&2
"$(swift build -c release --package-path Fuzz --scratch-path .build-fuzz-compare --show-bin-path)/OTLPDecodeCompare"
