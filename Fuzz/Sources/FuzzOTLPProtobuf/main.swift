import InfertopOTLP

/// libFuzzer entry point (built with -parse-as-library: libFuzzer supplies main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLPProtobuf(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.protobuf(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
