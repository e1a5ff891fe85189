#!/usr/bin/env bash
# Regenerates Sources/InfertopWire/Generated from the .proto files. CI never runs this: the
# generated code is committed. Needs, once:
#   protoc: Debian's protobuf-compiler (here libprotoc 3.21.12)
#   protoc-gen-swift 1.39.0 (apple/swift-protobuf) and protoc-gen-grpc-swift-2 2.4.1
#   (grpc/grpc-swift-protobuf), built in release into a .build-protoc scratch folder:
#     swift build -c release --scratch-path .build-protoc --package-path <swift-protobuf checkout> --product protoc-gen-swift
#     swift build -c release --scratch-path .build-protoc --package-path <grpc-swift-protobuf checkout> --product protoc-gen-grpc-swift-2
# or set PROTOC_GEN_SWIFT and PROTOC_GEN_GRPC_SWIFT to the built plugins.
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
protos=Sources/InfertopWire/Protos
out=Sources/InfertopWire/Generated
mkdir -p "$out"
files=$(cd "$protos" && find . -name '*.proto' | sed 's|^\./||' | sort)
protoc --version
(cd "$protos" && protoc \
    --plugin=protoc-gen-swift="$gen_swift" --plugin=protoc-gen-grpc-swift="$gen_grpc" \
    --swift_opt=Visibility=Public --swift_out="$root/$out" \
    --grpc-swift_opt=Visibility=Public,Client=true,Server=true --grpc-swift_out="$root/$out" \
    $files)
echo "generated into $out:"
find "$out" -name '*.swift' | sort
