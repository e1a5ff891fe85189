import InfertopOTLP

/// libFuzzer entry point (SwiftPM builds it with --sanitize=fuzzer: libFuzzer supplies main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLPJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.json(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
