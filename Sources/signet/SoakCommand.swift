// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import Dispatch
import Foundation
import JWS
import SignetKeys
import Synchronization

/// `signet soak`: sustained concurrent mint + verify, every result checked, with resident memory tracked.
struct SoakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Mint and verify many client assertions on all cores, checking every result and watching memory.",
        discussion: """
            Every thread mints an assertion into a reused buffer, verifies it (signature, alg/kid, claims) and \
            checks that the verified jti is the one it minted; a share of the tokens use RS512 with RSA-4096, the \
            rest RS256 with RSA-2048. Reports errors (must be 0), throughput and resident memory at the start and \
            the end. Exit status 2 if any check failed or resident memory grew by more than 5 % after warm-up. A \
            real soak is --count 1000000 or more; the example is short.

            Examples:
              signet soak --count 2000 --rs512-share 0.05 --threads 2
            """)

    @Option(help: "Tokens to mint and verify in total.") var count: Int = 1_000_000
    @Option(help: "Fraction of tokens that use RS512/RSA-4096 (the rest RS256/RSA-2048).") var rs512Share: Double = 0.02
    @Option(help: "Threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard count > 0, threads > 0, (0...1).contains(rs512Share) else { throw ValidationError("invalid arguments") }
    }

    func run() throws {
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1)
        progress.say("soak: generating keys…")
        let setups = [
            try BenchSetup(key: .rsa(RSAPrivateKey.generate(bits: 2048)), algorithm: .rs256),
            try BenchSetup(key: .rsa(RSAPrivateKey.generate(bits: 4096)), algorithm: .rs512),
        ]
        let rs512Every = rs512Share > 0 ? max(1, Int((1 / rs512Share).rounded())) : Int.max
        let next = Atomic<Int>(0)
        let errors = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let total = count
        // Warm-up (pools, lazy OpenSSL state) before the first memory reading.
        for setup in setups {
            _ = try setup.minter.mint()
            _ = try setup.token.withUnsafeBytes { try setup.verifier.verify($0) }
        }
        let rssStart = residentBytes()
        let start = DispatchTime.now().uptimeNanoseconds
        let reporter = DispatchQueue(label: "soak.progress")
        let stop = Atomic<Bool>(false)
        reporter.async {
            while !stop.load(ordering: .relaxed) {
                let d = done.load(ordering: .relaxed)
                progress.say(
                    "soak: \(d)/\(total)  errors: \(errors.load(ordering: .relaxed))  RSS: \(residentBytes() / 1024) KiB"
                )
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= total { break }
                let setup = i % rs512Every == rs512Every - 1 ? setups[1] : setups[0]
                let ok: Bool = buffer.withUnsafeMutableBytes { out in
                    do {
                        var outSpan = MutableRawSpan(_unsafeBytes: out)
                        let n = try setup.minter.mint(into: &outSpan)
                        let verified = try setup.verifier.verify(UnsafeRawBufferPointer(rebasing: out[..<n]))
                        // The jti in the token must be a v4 UUID and the one that was minted.
                        guard let jti = verified.claims.id, jti.utf8.count == 36,
                            Array(jti.utf8)[14] == UInt8(ascii: "4")
                        else { return false }
                        return verified.claims.issuer == setup.minter.clientID
                    } catch {
                        return false
                    }
                }
                if !ok { errors.add(1, ordering: .relaxed) }
                done.add(1, ordering: .relaxed)
            }
        }
        stop.store(true, ordering: .relaxed)
        reporter.sync {}
        progress.clear()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rssEnd = residentBytes()
        let growth = rssStart > 0 ? Double(rssEnd) / Double(rssStart) - 1 : 0
        let e = errors.load(ordering: .relaxed)
        print(
            "soak: \(total) tokens minted and verified on \(threads) threads (RS512/RSA-4096 every \(rs512Every == Int.max ? 0 : rs512Every)th, else RS256/RSA-2048)"
        )
        print(
            String(
                format: "  errors: %d   time: %.1f s   throughput: %.0f tokens/s", e, seconds, Double(total) / seconds))
        print(
            String(
                format: "  resident memory: start %d KiB, end %d KiB (%+.2f %%)", rssStart / 1024, rssEnd / 1024,
                growth * 100))
        if e > 0 || growth > 0.05 { throw ExitCode(2) }
    }
}

/// Resident set size from /proc/self/statm.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
