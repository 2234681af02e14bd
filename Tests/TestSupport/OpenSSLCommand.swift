// SPDX-License-Identifier: Apache-2.0

import Foundation

/// The `openssl` command-line tool, for test fixtures that must come from an independent implementation
/// (encrypted PKCS#8, X.509 certificates): each call runs in a fresh temporary directory.
public enum OpenSSLCommand {
    /// What a failed run printed.
    public struct Failure: Error, CustomStringConvertible {
        /// The arguments and the tool's stderr.
        public let description: String
    }

    /// Writes `inputs` (name → bytes) into a temporary directory, runs `openssl arguments…` there, and returns the
    /// files named in `outputs`.
    ///
    /// - Throws: ``Failure`` when openssl exits with a non-zero status.
    public static func run(
        _ arguments: [String], inputs: [String: [UInt8]] = [:], outputs: [String]
    ) throws -> [String: [UInt8]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signet-openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in inputs { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = dir
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: stderr, as: UTF8.self))")
        }
        var out: [String: [UInt8]] = [:]
        for name in outputs { out[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name))) }
        return out
    }
}
