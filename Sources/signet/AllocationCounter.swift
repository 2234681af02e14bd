// SPDX-License-Identifier: Apache-2.0

import Foundation

/// The heap-allocation counter `signet bench` reports: `Sources/CMallocCounter`, built as the dynamic library
/// `libSignetMallocCounter.so` and preloaded into the benchmark only. The `signet` executable never replaces
/// `malloc` itself, so `signet serve` and every other command run on the system allocator.
enum AllocationCounter {
    /// The library's file name, looked for beside the `signet` executable (`swift build` puts both in one directory).
    static let libraryName = "libSignetMallocCounter.so"
    /// Set in the environment of the re-executed benchmark, so that it never re-executes twice.
    static let reexecutedMarker = "SIGNET_BENCH_PRELOADED"

    /// The counter's reading for the calling thread, when the interposer is in this process and counting (it stands
    /// down under sanitizers and off glibc); `nil` otherwise.
    static let threadCount: (@convention(c) () -> UInt64)? = {
        guard let process = dlopen(nil, RTLD_NOW),
            let available = dlsym(process, "signet_allocation_counting_available"),
            let count = dlsym(process, "signet_thread_allocation_count"),
            unsafe unsafeBitCast(available, to: (@convention(c) () -> Int32).self)() == 1
        else { return nil }
        return unsafe unsafeBitCast(count, to: (@convention(c) () -> UInt64).self)
    }()

    /// The library beside this executable, if it is there.
    static var libraryPath: String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        let path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(libraryName).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Re-executes this process with the counter preloaded (`LD_PRELOAD`), when it is not loaded yet and the library
    /// sits beside the executable. Returns when it cannot; the allocation columns then say `n/a`.
    static func preloadByReexecuting() {
        guard threadCount == nil, ProcessInfo.processInfo.environment[reexecutedMarker] == nil,
            let library = libraryPath,
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return }
        let preload = ProcessInfo.processInfo.environment["LD_PRELOAD"].map { "\(library):\($0)" } ?? library
        setenv(reexecutedMarker, "1", 1)
        setenv("LD_PRELOAD", preload, 1)
        var arguments = CommandLine.arguments.map { unsafe strdup($0) }
        arguments.append(nil)
        unsafe execv(executable, &arguments)
        // execv returned: it failed. Carry on uncounted, with the environment as it was.
        for pointer in arguments { unsafe free(pointer) }
        unsetenv(reexecutedMarker)
        if let previous = ProcessInfo.processInfo.environment["LD_PRELOAD"], previous == preload {
            unsetenv("LD_PRELOAD")
        }
    }
}
