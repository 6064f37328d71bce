#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point: one input through the target `EDGEWATCH_FUZZ_TARGET` names. A
/// target reports a broken property with ``FuzzCheck/require(_:_:)``, which aborts, so libFuzzer
/// keeps the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func edgewatchFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// libFuzzer's driver (linked by `-sanitize=fuzzer`): parses its flags, then fuzzes or replays.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

_ = FuzzTarget.selected
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, edgewatchFuzzTestOneInput))
