// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import JWS
@_spi(Benchmarking) import SignetKeys

/// `signet perf-loop` (hidden): runs one operation N times in a function named `signet_perf_loop`, so that
/// `valgrind --tool=callgrind --toggle-collect=signet_perf_loop` counts exactly those operations (perf/callgrind.sh).
struct PerfLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf-loop", abstract: "Run one operation N times (for callgrind; see perf/callgrind.sh).",
        shouldDisplay: false)

    @Option(
        help:
            "mint, verify (zero-allocation), verify-dom (allocating), key-verify (the pooled RSAPublicKey verify alone), evp-sign or evp-verify."
    )
    var op: String = "mint"
    @Option(help: "Any JWS algorithm (RS256, PS256, ES256, EdDSA, …).") var alg: JWSAlgorithm = .rs256
    @Option(help: "Private key PEM (default: a fresh key).") var key: String?
    @OptionGroup var passwords: KeyPasswordOptions
    @Option(help: "Operations.") var count: Int = 100

    func run() throws {
        let ops = ["mint": 0, "verify": 1, "evp-sign": 2, "evp-verify": 3, "verify-dom": 4, "key-verify": 5]
        guard let code = ops[op] else {
            throw ValidationError("--op is one of \(ops.keys.sorted().joined(separator: ", "))")
        }
        let privateKey =
            try key.map { try loadSigningKey($0, passwords: passwords) }
            ?? JWSSigningKey.generate(for: alg, rsaBits: BenchCommand.rsaBits(alg))
        let setup = try BenchSetup(key: privateKey, algorithm: alg)
        let failures = perfLoop(setup, code, count)
        guard failures == 0 else {
            printError("signet: \(failures) operations failed")
            throw ExitCode.failure
        }
    }
}

/// The measured loop; its symbol name is fixed for callgrind's `--toggle-collect`.
@inline(never) @_silgen_name("signet_perf_loop")
func perfLoop(_ setup: BenchSetup, _ op: Int, _ count: Int) -> Int {
    var failures = 0
    var buffer = [UInt8](repeating: 0, count: max(setup.minter.maximumAssertionLength, setup.floorCapacity))
    let signature = (try? setup.key.signature(for: setup.signingInput, algorithm: setup.algorithm)) ?? []
    var scratch = [UInt8](repeating: 0, count: setup.scratchByteCount)
    let token = setup.token
    buffer.withUnsafeMutableBytes { out in
        scratch.withUnsafeMutableBytes { scratch in
            var outSpan = MutableRawSpan(_unsafeBytes: out)
            var scratchSpan = MutableRawSpan(_unsafeBytes: scratch)
            for _ in 0..<count {
                do {
                    switch op {
                    case 0: _ = try setup.minter.mint(into: &outSpan)
                    case 1: _ = try setup.verifier.verify(RawSpan(_elements: token.span), scratch: &scratchSpan)
                    case 4: _ = try setup.token.withUnsafeBytes { try setup.verifier.verify($0) }
                    case 5:
                        let ok = signature.withUnsafeBytes { s in
                            setup.signingInput.withUnsafeBytes {
                                setup.key.publicKey.isValidSignature(s, for: $0, algorithm: setup.algorithm)
                            }
                        }
                        if !ok { failures += 1 }
                    case 2:
                        _ = try setup.signingInput.withUnsafeBytes { try setup.floorSign($0, out) }
                    default:
                        let ok = setup.floorSignature.withUnsafeBytes { s in
                            setup.signingInput.withUnsafeBytes { setup.floorVerify(s, $0) }
                        }
                        if !ok { failures += 1 }
                    }
                } catch {
                    failures += 1
                }
            }
        }
    }
    return failures
}
