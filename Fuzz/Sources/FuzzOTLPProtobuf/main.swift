import InfertopOTLP

/// libFuzzer entry point (SwiftPM builds it with --sanitize=fuzzer: libFuzzer supplies main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLPProtobuf(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.protobuf(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
