// SPDX-License-Identifier: Apache-2.0

// SignetFuzz TARGET [libFuzzer args | corpus files or directories]
// Built normally, it replays the given files (regression runs). Built with
//   swift build --product SignetFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSIGNET_FUZZ --scratch-path .build-fuzz
// it runs libFuzzer (see perf/fuzz.sh).
import Foundation

nonisolated(unsafe) var selectedTarget = "base64url"

var arguments = CommandLine.arguments
guard arguments.count >= 2, FuzzTargets.names.contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: SignetFuzz \(FuzzTargets.names.joined(separator: "|")) [args…]\n".utf8))
    exit(64)
}
selectedTarget = arguments.remove(at: 1)

#if SIGNET_FUZZ
import CFuzzerDriver

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    unsafe FuzzTargets.run(selectedTarget, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

var argc = Int32(arguments.count)
var cArgs = arguments.map { strdup($0) }
cArgs.append(nil)
unsafe cArgs.withUnsafeMutableBufferPointer { buffer in
    var argv = buffer.baseAddress
    exit(
        unsafe LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            unsafe FuzzTargets.run(selectedTarget, UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
}
#else
var files: [String] = []
for path in arguments.dropFirst() where !path.hasPrefix("-") {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
    if isDirectory.boolValue {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            files.append(path + "/" + name)
        }
    } else {
        files.append(path)
    }
}
for file in files.sorted() {
    guard let data = FileManager.default.contents(atPath: file) else { continue }
    unsafe Array(data).withUnsafeBytes { FuzzTargets.run(selectedTarget, $0) }
}
print("replayed \(files.count) inputs through \(selectedTarget)")
#endif
