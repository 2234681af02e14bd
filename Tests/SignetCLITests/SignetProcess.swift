// SPDX-License-Identifier: Apache-2.0

import Foundation
import TestSupport
import Testing

/// Runs the built `signet` executable, the way a script would.
enum Signet {
    /// The executable: beside the test runner (SwiftPM puts every product of a build in one folder), or in
    /// `.build/debug` of this checkout.
    static let executable: URL? = {
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            runner.deletingLastPathComponent().appendingPathComponent("signet"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("signet"),
            package.appendingPathComponent(".build/debug/signet"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// What one run produced.
    struct Result: CustomStringConvertible, Sendable {
        let status: Int32
        let stdoutBytes: [UInt8]
        let stderr: String
        var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// Runs `line` with `/bin/sh -c` in `directory`, with the built `signet` first on `PATH`, help at 80 columns
    /// and `environment` added: how a person runs a line copied from the help or the README.
    static func shell(
        _ line: String, in directory: URL, environment: [String: String] = [:]
    ) async throws -> Result {
        let executable = try #require(executable, "the signet executable was not built")
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = executable.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["COLUMNS"] = "80"
        env.removeValue(forKey: "SIGNET_KEY_PASSWORD")
        return try await run(
            ["-c", line], in: directory, program: URL(fileURLWithPath: "/bin/sh"),
            environment: env.merging(environment) { $1 })
    }

    /// Runs `signet arguments…` in `directory` with `stdin` as standard input, waiting for it on a thread of its
    /// own: a test that blocked one of the two cooperative threads for a whole child process (a cross-check
    /// campaign runs for seconds) would starve every async test beside it, whose deadlines then pass.
    static func run(
        _ arguments: [String], stdin: String = "", in directory: URL? = nil, program: URL? = nil,
        environment: [String: String]? = nil
    ) async throws -> Result {
        let executable = try #require(program ?? executable, "the signet executable was not built")
        return try await offThePool {
            try runBlocking(
                arguments, stdin: stdin, in: directory, program: executable, environment: environment)
        }
    }

    /// The child process, run to its end on the calling thread.
    private static func runBlocking(
        _ arguments: [String], stdin: String, in directory: URL?, program executable: URL,
        environment: [String: String]?
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("signet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("stdin")
        let output = scratch.appendingPathComponent("stdout")
        let errors = scratch.appendingPathComponent("stderr")
        try Data(stdin.utf8).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = (environment ?? ProcessInfo.processInfo.environment).merging([
            "SWIFT_BACKTRACE": "enable=no"
        ]) { $1 }
        let (i, o, e) = (
            try FileHandle(forReadingFrom: input), try FileHandle(forWritingTo: output),
            try FileHandle(forWritingTo: errors)
        )
        defer {
            try? i.close()
            try? o.close()
            try? e.close()
        }
        process.standardInput = i
        process.standardOutput = o
        process.standardError = e
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdoutBytes: Array(try Data(contentsOf: output)),
            stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    /// Starts a server process (`program`, the built `signet` by default) that prints its URL as the last word of
    /// its first line (`signet serve: listening on http://127.0.0.1:PORT`); returns it running, with that URL. The
    /// caller terminates it.
    ///
    /// - Throws: ``ServerDidNotStart`` (the process is terminated) when the first line does not start with
    ///   `expectedPrefix`.
    static func launch(
        _ arguments: [String], program: URL? = nil, expectedPrefix: String = "signet serve: listening on "
    ) throws -> (process: Process, url: String) {
        let process = Process()
        process.executableURL = try #require(program ?? executable, "the signet executable was not built")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let first = String(text.prefix { $0 != "\n" })
        guard first.hasPrefix(expectedPrefix), let url = first.split(separator: " ").last else {
            process.terminate()
            throw ServerDidNotStart(firstLine: first)
        }
        return (process, String(url))
    }

    /// A server process whose first line was not the expected one.
    struct ServerDidNotStart: Error, CustomStringConvertible {
        let firstLine: String
        var description: String { "the server did not start; its first line: \(firstLine)" }
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("signet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A directory with an RSA-2048 key `key.pem` and its JWKS `jwks.json` (kid `k1`, RS512), made with `signet keygen`.
final class KeyDirectory {
    let url: URL

    init() async throws {
        url = try Signet.temporaryDirectory()
        let r = try await Signet.run(
            ["keygen", "--bits", "2048", "--kid", "k1", "--out", "key.pem", "--jwks", "jwks.json"], in: url)
        try #require(r.status == 0, "\(r)")
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// An APIM (INT) client assertion for client `abc`.
    func mint(_ extra: [String] = ["--profile", "apim", "--env", "int"]) async throws -> String {
        let r = try await Signet.run(["mint", "--key", path("key.pem"), "--kid", "k1", "--client-id", "abc"] + extra)
        try #require(r.status == 0, "\(r)")
        return String(r.stdout.dropLast())
    }
}
