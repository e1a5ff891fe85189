#!/usr/bin/env bash
# Regenerates Sources/InfertopWire/Generated (infertop.v1, public) and
# Sources/InfertopOTLP/Generated (OTLP trace messages, internal; no service code: the receiver
# registers Export by hand) from the .proto files. CI never runs this: the
# generated code is committed. Needs, once:
#   protoc: Debian's protobuf-compiler (here libprotoc 3.21.12)
#   protoc-gen-swift 1.39.0 (apple/swift-protobuf) and protoc-gen-grpc-swift-2 2.4.1
#   (grpc/grpc-swift-protobuf), built in release into a .build-protoc scratch folder:
#     swift build -c release --scratch-path .build-protoc --package-path <swift-protobuf checkout> --product protoc-gen-swift
#     swift build -c release --scratch-path .build-protoc --package-path <grpc-swift-protobuf checkout> --product protoc-gen-grpc-swift-2
# or set PROTOC_GEN_SWIFT and PROTOC_GEN_GRPC_SWIFT to the built plugins.
# Usage: scripts/generate-protos.sh [all|wire|otlp]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
gen_swift=${PROTOC_GEN_SWIFT:-.build-protoc/release/protoc-gen-swift}
gen_grpc=${PROTOC_GEN_GRPC_SWIFT:-.build-protoc/release/protoc-gen-grpc-swift-2}
for tool in "$gen_swift" "$gen_grpc"; do
    [ -x "$tool" ] || { echo "missing plugin $tool (see the comment at the top of this script)" >&2; exit 1; }
done
gen_swift=$(realpath "$gen_swift")
gen_grpc=$(realpath "$gen_grpc")
root=$(pwd)
protoc --version

# generate PROTO_DIR OUT_DIR VISIBILITY SWIFT_OPTS GRPC: every .proto under PROTO_DIR into OUT_DIR,
# with gRPC clients and servers when GRPC is "grpc".
generate() {
    local protos=$1 out=$2 visibility=$3 extra=$4 grpc=$5 files grpc_args=()
    mkdir -p "$out"
    files=$(cd "$protos" && find . -name '*.proto' | sed 's|^\./||' | sort)
    if [ "$grpc" = grpc ]; then
        grpc_args=(--plugin=protoc-gen-grpc-swift="$gen_grpc"
            --grpc-swift_opt=Visibility=$visibility,Client=true,Server=true$extra --grpc-swift_out="$root/$out")
    fi
    (cd "$protos" && protoc \
        --plugin=protoc-gen-swift="$gen_swift" \
        --swift_opt=Visibility=$visibility$extra --swift_out="$root/$out" \
        "${grpc_args[@]}" $files)
    echo "generated into $out:"
    find "$out" -name '*.swift' | sort
}

which=${1:-all}
case $which in
    all | wire | otlp) ;;
    *) echo "usage: $0 [all|wire|otlp]" >&2; exit 2 ;;
esac
if [ "$which" != otlp ]; then
    generate Sources/InfertopWire/Protos Sources/InfertopWire/Generated Public "" grpc
fi
[ "$which" = wire ] && exit 0
rm -rf Sources/InfertopOTLP/Generated
# Flat file names (opentelemetry_proto_trace_v1_trace.pb.swift): two trace.proto files in one
# target would otherwise collide.
generate Sources/InfertopOTLP/Protos Sources/InfertopOTLP/Generated Internal ",FileNaming=PathToUnderscores" messages
