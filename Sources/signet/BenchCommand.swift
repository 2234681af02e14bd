// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import CrossCheck
import Dispatch
import Foundation
import JWS
@_spi(Benchmarking) import SignetKeys

/// `signet bench`: client-assertion mint and verify throughput, side by side with raw OpenSSL EVP in one process.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure client-assertion mint/verify throughput next to the raw OpenSSL EVP floor, in one run.",
        discussion: """
            For each algorithm (all: RS256/PS256 with RSA-2048, RS384/PS384 with RSA-3072, RS512/PS512 with \
            RSA-4096, ES256/ES384/ES512 on P-256/P-384/P-521, EdDSA with Ed25519; or those the --key given signs) \
            it measures, interleaved in rounds: a full client-assertion mint (fresh jti, exp, header, payload, \
            signature into a reused buffer), raw EVP_DigestSign of the same signing input, a full zero-allocation \
            verify (strict header and payload JSON scan, alg/kid/typ check, signature, claims policy; \
            JWSVerifier.verify(_:scratch:)), and raw EVP_DigestVerify. The median of the rounds is shown with min \
            and max. The GMPVerifier column is the independent verifier.

            The mint and verify columns run the RSA operations on the engine that --engine names (auto: Signet's \
            AVX-512 IFMA engine where the CPU enables IFMA and it measured faster on the key, at the faster width, \
            else OpenSSL; also set by SIGNET_RSA_ENGINE); the EVP columns always run OpenSSL. The defaults \
            (4 seconds, 5 rounds, every algorithm) are what ./dev bench reports; the examples are short runs.

            --report FILE also writes one self-contained HTML page: the table, bar charts of mint/s and verify/s per \
            algorithm and key beside the EVP floor (and GMPVerifier), thread scaling with --threads, and the --json \
            document embedded, so that the page and the JSON show the same figures.

            Examples:
              signet bench --alg RS256 --seconds 0.2 --rounds 1
              signet bench --alg ES256,EdDSA --seconds 0.2 --rounds 1
              signet bench --alg PS256 --seconds 0.2 --rounds 1 --engine evp --json
              signet bench --alg ES256 --seconds 0.3 --rounds 1 --report report.html
              signet bench --key key.pem --alg RS256,PS256 --seconds 0.2 --rounds 1 \\
                --threads 2
            """)

    @Option(help: "all, or JWS algorithm names separated by commas (RS256, PS256, ES256, EdDSA, …).") var alg: String =
        "all"
    @Option(help: "Total measuring time per algorithm, in seconds.") var seconds: Double = 4
    @Option(help: "Measure scaling from 1 to N threads (default: 1).") var threads: Int = 1
    @Option(help: "Benchmark this private key (PEM) instead of freshly generated ones.") var key: String?
    @OptionGroup var passwords: KeyPasswordOptions
    @Option(help: "Rounds per measurement (median reported).") var rounds: Int = 5
    @Option(help: "RSA engine for mint and verify: auto, evp, ifma256 or ifma512.") var engine: String = "auto"
    @Flag(help: "Print JSON for machines.") var json = false
    @Option(
        help: "Also write a self-contained HTML page (charts and table; no script, no external URL) to this file.")
    var report: String?

    func validate() throws {
        guard (try? selectedAlgorithms()) != nil else {
            throw ValidationError(
                "--alg is all or a comma-separated list of \(JWSAlgorithm.allValueStrings.joined(separator: ", "))")
        }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be 1…256") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard RSAEngine(name: engine) != nil else { throw ValidationError("--engine is auto, evp, ifma256 or ifma512") }
    }

    /// The algorithms `--alg` names, in `JWSAlgorithm.all` order.
    func selectedAlgorithms() throws -> [JWSAlgorithm] {
        if alg.lowercased() == "all" { return JWSAlgorithm.all }
        var chosen: [JWSAlgorithm] = []
        for name in alg.split(separator: ",") {
            guard let a = JWSAlgorithm(argument: String(name)) else { throw ValidationError("unknown --alg \(name)") }
            chosen.append(a)
        }
        return JWSAlgorithm.all.filter(chosen.contains)
    }

    /// The RSA size each RSA algorithm is measured with when no --key is given (matched to the hash's strength).
    static func rsaBits(_ algorithm: JWSAlgorithm) -> Int {
        switch algorithm.rsa?.digestByteCount {
        case 48: 3072
        case 64: 4096
        default: 2048
        }
    }

    func run() throws {
        AllocationCounter.preloadByReexecuting()
        let loadedKey = try key.map { try loadSigningKey($0, passwords: passwords) }
        let engine = RSAEngine(name: self.engine) ?? .automatic
        var configs = try selectedAlgorithms()
        if let loadedKey { configs = configs.filter(loadedKey.publicKey.canVerify) }
        guard !configs.isEmpty else { throw ValidationError("the --key given signs none of the --alg algorithms") }
        let progress = Progress(enabled: !json && isatty(STDERR_FILENO) == 1)
        var results: [BenchResult] = []
        var generated: [Int: JWSSigningKey] = [:]
        for algorithm in configs {
            var privateKey: JWSSigningKey
            if let loadedKey {
                privateKey = loadedKey
            } else if algorithm.rsa != nil, let k = generated[Self.rsaBits(algorithm)] {
                privateKey = k
            } else {
                progress.say("generating a key for \(algorithm)…")
                privateKey = try JWSSigningKey.generate(for: algorithm, rsaBits: Self.rsaBits(algorithm))
                if algorithm.rsa != nil { generated[Self.rsaBits(algorithm)] = privateKey }
            }
            if let rsa = privateKey.rsa { privateKey = .rsa(try rsa.using(engine: engine)) }
            let setup = try BenchSetup(key: privateKey, algorithm: algorithm)
            for t in threadCounts() {
                progress.say("\(algorithm) \(privateKey.publicKey.keyDescription) on \(t) thread(s)…")
                results.append(try setup.measure(threads: t, seconds: seconds, rounds: rounds, progress: progress))
            }
        }
        progress.clear()
        let body = results.map(\.json).joined(separator: ",")
        let document =
            "{\"results\":[\(body)],\"cpu\":\(jsonString(cpuDescription())),\"rounds\":\(rounds),\"seconds\":\(seconds)}"
        if let report {
            let page = BenchReport.html(
                results: results, cpu: cpuDescription(), rounds: rounds, seconds: seconds, json: document)
            do { try Data(page.utf8).write(to: URL(fileURLWithPath: report)) } catch {
                printError("signet bench: cannot write '\(report)': \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if json {
            print(document)
        } else {
            printTable(results)
        }
    }

    func threadCounts() -> [Int] { threads == 1 ? [1] : Array(1...threads) }

    func printTable(_ results: [BenchResult]) {
        print("CPU: \(cpuDescription())   median of \(rounds) rounds, interleaved; [min–max]")
        print("")
        let header = [
            "alg", "key", "thr", "engine", "mint/s", "EVP sign/s", "mint÷EVP", "verify/s", "EVP verify/s",
            "verify÷EVP",
            "GMPVerifier verify/s", "mallocs mint/EVP", "mallocs verify/EVP",
        ]
        var rows = [header]
        for r in results {
            rows.append([
                r.algorithm.jwsName, r.keyDescription, String(r.threads),
                r.engine == r.verifyEngine ? r.engine : "\(r.engine)/\(r.verifyEngine)",
                r.mint.formatted, r.evpSign.formatted, String(format: "%.3f", r.mintRatio),
                r.verify.formatted, r.evpVerify.formatted, String(format: "%.3f", r.verifyRatio),
                r.gmpVerify.samples.isEmpty ? "n/a" : r.gmpVerify.formatted,
                r.allocations.text(r.allocations.mint, r.allocations.evpSign),
                r.allocations.text(r.allocations.verify, r.allocations.evpVerify),
            ])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for (i, row) in rows.enumerated() {
            print(
                row.enumerated().map { c, cell in
                    c < 4
                        ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[c] - cell.count) + cell
                }.joined(separator: "  "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        if AllocationCounter.threadCount != nil {
            print(
                "mallocs: heap allocations per operation in this process, OpenSSL's own included; the EVP floor's count is after the slash"
            )
        } else {
            print(
                "mallocs: n/a: \(AllocationCounter.libraryName) is not beside signet (swift build --product SignetMallocCounter, as ./dev bench does)"
            )
        }
        // Which engine, and why (RSA: the choice made at key load; `--engine` other than auto: requested).
        for r in results where r.threads == 1 && r.algorithm.rsa != nil {
            let mint = "\(r.engine) (\(r.engineReason))"
            let verify =
                r.verifyEngine == r.engine && r.verifyEngineReason == r.engineReason
                ? "the same" : "\(r.verifyEngine) (\(r.verifyEngineReason))"
            print("engine \(r.algorithm.jwsName) \(r.keyDescription): mint \(mint); verify \(verify)")
        }
        let single = results.filter { $0.threads == 1 }
        for r in results where r.threads > 1 {
            if let base = single.first(where: { $0.algorithm == r.algorithm }) {
                print(
                    "scaling \(r.algorithm.jwsName) ×\(r.threads) threads: mint \(String(format: "%.2f", r.mint.median / base.mint.median))×, verify \(String(format: "%.2f", r.verify.median / base.verify.median))×"
                )
            }
        }
    }
}

/// A rate with its spread over rounds.
struct Rate {
    var samples: [Double]
    var median: Double {
        let s = samples.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var formatted: String {
        "\(Int(median.rounded())) [\(Int((samples.min() ?? 0).rounded()))–\(Int((samples.max() ?? 0).rounded()))]"
    }
}

struct BenchResult {
    let algorithm: JWSAlgorithm
    let bits: Int
    /// `RSA-2048`, `EC P-256`, `Ed25519`.
    let keyDescription: String
    let threads: Int
    /// The engine of the private-key operation (mint) and of the public-key operation (verify).
    let engine: String
    let verifyEngine: String
    /// Why: `RSAEngine.Choice.reason` of the private and the public key (RSA), or the family's fixed engine.
    let engineReason: String
    let verifyEngineReason: String
    let mint: Rate
    let evpSign: Rate
    let verify: Rate
    let evpVerify: Rate
    let gmpVerify: Rate
    let allocations: Allocations
    let mintRatios: Rate
    let verifyRatios: Rate
    var mintRatio: Double { mintRatios.median }
    var verifyRatio: Double { verifyRatios.median }

    var json: String {
        func n(_ d: Double) -> String { String(format: "%.1f", d) }
        return """
            {"alg":"\(algorithm.jwsName)","bits":\(bits),"key":"\(keyDescription)","threads":\(threads),"engine":"\(engine)","verifyEngine":"\(verifyEngine)","engineReason":\(jsonString(engineReason)),"verifyEngineReason":\(jsonString(verifyEngineReason)),"mintPerSecond":\(n(mint.median)),\
            "verifyPerSecond":\(n(verify.median)),"evpSignPerSecond":\(n(evpSign.median)),\
            "evpVerifyPerSecond":\(n(evpVerify.median)),"mintToEVPSign":\(String(format: "%.4f", mintRatio)),\
            "verifyToEVPVerify":\(String(format: "%.4f", verifyRatio)),"gmpVerifyPerSecond":\(gmpVerify.samples.isEmpty ? "null" : n(gmpVerify.median)),\
            "allocationsPerMint":\(allocations.json(allocations.mint)),"allocationsPerVerify":\(allocations.json(allocations.verify)),\
            "allocationsPerEVPSign":\(allocations.json(allocations.evpSign)),"allocationsPerEVPVerify":\(allocations.json(allocations.evpVerify)),\
            "mintMin":\(n(mint.samples.min() ?? 0)),"mintMax":\(n(mint.samples.max() ?? 0)),\
            "verifyMin":\(n(verify.samples.min() ?? 0)),"verifyMax":\(n(verify.samples.max() ?? 0))}
            """
    }
}

/// Keys, minter, verifier and inputs for one algorithm, prepared before any timing.
final class BenchSetup: @unchecked Sendable {  // immutable after init; its members are Sendable
    let key: JWSSigningKey
    let algorithm: JWSAlgorithm
    let minter: ClientAssertionMinter
    let verifier: JWSVerifier
    let token: [UInt8]
    let signingInput: [UInt8]
    /// The raw EVP floor's signature of `signingInput` (ECDSA: OpenSSL's DER, as a C program gets it).
    let floorSignature: [UInt8]
    /// The raw EVP floor: sign (message, output) → length, and verify (signature, message).
    let floorSign: @Sendable (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws -> Int
    let floorVerify: @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool
    /// The independent verifier's verdict (GMPVerifier, for every family) on the JWS signature.
    let gmpVerify: @Sendable () -> Bool
    /// Scratch bytes the zero-allocation verify needs for `token` (its decoded payload).
    let scratchByteCount: Int
    /// Bytes the floor writes at most.
    let floorCapacity: Int

    init(key: JWSSigningKey, algorithm: JWSAlgorithm) throws {
        self.key = key
        self.algorithm = algorithm
        let audience = "https://int.api.service.nhs.uk/oauth2/token"
        let profile: ClientAssertionProfile = algorithm == .rs512 ? .apim(.integration) : .rfc7523(audience: audience)
        minter = try ClientAssertionMinter(
            signingKey: key, keyID: "bench-\(key.publicKey.thumbprint.prefix(8))",
            clientID: "bench-client-0123456789abcdef", profile: profile, algorithm: algorithm)
        verifier = try JWSVerifier(
            keys: [
                JWSVerificationKey(
                    key: key.publicKey, algorithm: algorithm, keyID: minter.signer.header["kid"]?.stringValue)
            ],
            policy: JWTValidationPolicy(
                issuer: minter.clientID, subject: minter.clientID, audience: audience,
                requireID: true, leeway: 30, maximumLifetime: 300, expectedType: "JWT"))
        token = Array(try minter.mint().utf8)
        guard let secondDot = token.lastIndex(of: UInt8(ascii: ".")) else {
            throw ValidationError("self-check failed: the minted token has no signature segment")
        }
        signingInput = Array(token[..<secondDot])
        floorCapacity = max(key.signatureByteCount, 160)
        switch key {
        case .rsa(let k):
            guard let rsa = algorithm.rsa else { throw ValidationError("\(algorithm) is not an RSA algorithm") }
            floorSign = { m, o in try RawEVPBaseline.sign(m, key: k, algorithm: rsa, into: o) }
            floorVerify = { s, m in RawEVPBaseline.verify(s, for: m, key: k.publicKey, algorithm: rsa) }
        case .ec(let k):
            floorSign = { m, o in try RawEVPBaseline.sign(m, key: k, into: o) }
            floorVerify = { s, m in RawEVPBaseline.verify(derSignature: s, for: m, key: k.publicKey) }
        case .ed25519(let k):
            floorSign = { m, o in try RawEVPBaseline.sign(m, key: k, into: o) }
            floorVerify = { s, m in RawEVPBaseline.verify(s, for: m, key: k.publicKey) }
        }
        var floor = [UInt8](repeating: 0, count: floorCapacity)
        let floorSign = self.floorSign
        let n = try signingInput.withUnsafeBytes { m in try floor.withUnsafeMutableBytes { try floorSign(m, $0) } }
        let floorSignature = Array(floor[..<n])
        self.floorSignature = floorSignature
        let signature = try key.signature(for: signingInput, algorithm: algorithm)
        // The independent verifier on the JWS signature (raw r‖s for ECDSA, never DER), as a token verifier gets it.
        let secondOpinion = try GMPSecondOpinion(key: key.publicKey, algorithm: algorithm)
        let gmpMessage = signingInput
        gmpVerify = { secondOpinion.isValid(signature, for: gmpMessage, alg: algorithm) }
        if !gmpVerify() {
            throw ValidationError("self-check failed: GMPVerifier does not verify the signature")
        }
        // Sanity: everything measured actually works, and both verify paths agree on the claims.
        let token = self.token
        let verifier = self.verifier
        let verified = try token.withUnsafeBytes { try verifier.verify($0) }
        let scratchByteCount = verifier.scratchByteCount(for: RawSpan(_elements: token.span))
        self.scratchByteCount = scratchByteCount
        let inPlace = try withUnsafeTemporaryAllocation(byteCount: scratchByteCount, alignment: 8) { buffer in
            var scratch = MutableRawSpan(_unsafeBytes: buffer)
            let view = try verifier.verify(RawSpan(_elements: token.span), scratch: &scratch)
            return (view.issuer?.string, view.id?.string, view.expiresAt)
        }
        guard inPlace.0 == verified.claims.issuer, inPlace.1 == verified.claims.id,
            inPlace.2 == verified.claims.expiresAt
        else {
            throw ValidationError("self-check failed: the zero-allocation verify reads different claims")
        }
        guard key.publicKey.isValidSignature(signature, for: signingInput, algorithm: algorithm) else {
            throw ValidationError("self-check failed: the signature does not verify")
        }
        let floorVerify = self.floorVerify
        let message = signingInput
        let floorOK = floorSignature.withUnsafeBytes { s in message.withUnsafeBytes { floorVerify(s, $0) } }
        guard floorOK else { throw ValidationError("self-check failed: the EVP floor does not verify its signature") }
        // Deterministic algorithms (PKCS#1 v1.5, Ed25519): Signet signs exactly what OpenSSL signs.
        if algorithm.rsa?.usesPSS == false || algorithm == .edDSA, floorSignature != signature {
            throw ValidationError("self-check failed: Signet's \(algorithm) signature differs from OpenSSL's")
        }
    }

    /// The engine of the private-key operation (RSA keys: as chosen at load; EC and Ed25519: OpenSSL EVP).
    var engineName: String { key.rsa?.engine.name ?? "evp" }
    /// The engine of the public-key operation.
    var verifyEngineName: String { key.rsa?.publicKey.engine.name ?? "evp" }
    /// Why those engines (RSA: the choice made at key load).
    var engineReason: String { key.rsa?.engineChoice.reason ?? "the only engine for this key family" }
    var verifyEngineReason: String {
        key.rsa?.publicKey.engineChoice.reason ?? "the only engine for this key family"
    }

    /// Runs `body` on `threads` threads for `duration` seconds; returns operations per second.
    func rate(threads: Int, duration: Double, _ body: @escaping @Sendable () throws -> Void) throws -> Double {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let failed = UnsafeMutableBufferPointer<Bool>.allocate(capacity: threads)
        failed.initialize(repeating: false)
        defer { failed.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(duration * 1e9)
        nonisolated(unsafe) let c = counts
        nonisolated(unsafe) let f = failed
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var n = 0
            repeat {
                for _ in 0..<4 {
                    do { try body() } catch {
                        f[t] = true
                        return
                    }
                }
                n += 4
            } while DispatchTime.now().uptimeNanoseconds < deadline
            c[t] = n
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard !failed.contains(true) else { throw ValidationError("an operation failed during the benchmark") }
        return Double(counts.reduce(0, +)) / elapsed
    }

    func measure(threads: Int, seconds: Double, rounds: Int, progress: Progress) throws -> BenchResult {
        let slice = seconds / Double(rounds) / 4
        var mint = Rate(samples: [])
        var sign = Rate(samples: [])
        var verify = Rate(samples: [])
        var evpVerify = Rate(samples: [])
        var mintRatios = Rate(samples: [])
        var verifyRatios = Rate(samples: [])
        var gmp = Rate(samples: [])
        let gmpVerify = self.gmpVerify
        let minter = self.minter
        let algorithm = self.algorithm
        let verifier = self.verifier
        let token = self.token
        let signingInput = self.signingInput
        let floorSignature = self.floorSignature
        let floorSign = self.floorSign
        let floorVerify = self.floorVerify
        let floorCapacity = self.floorCapacity
        let capacity = minter.maximumAssertionLength
        let scratchByteCount = self.scratchByteCount
        for round in 0..<rounds {
            progress.say("\(algorithm) ×\(threads): round \(round + 1)/\(rounds)")
            let m = try rate(threads: threads, duration: slice) {
                try withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) { buffer in
                    var output = MutableRawSpan(_unsafeBytes: buffer)
                    _ = try minter.mint(into: &output)
                }
            }
            let s = try rate(threads: threads, duration: slice) {
                try withUnsafeTemporaryAllocation(byteCount: floorCapacity, alignment: 8) { buffer in
                    _ = try signingInput.withUnsafeBytes { try floorSign($0, buffer) }
                }
            }
            let v = try rate(threads: threads, duration: slice) {
                // The zero-allocation path; the scratch buffer is a per-call stack allocation (no heap).
                try withUnsafeTemporaryAllocation(byteCount: scratchByteCount, alignment: 8) { buffer in
                    var scratch = MutableRawSpan(_unsafeBytes: buffer)
                    _ = try verifier.verify(RawSpan(_elements: token.span), scratch: &scratch)
                }
            }
            let ev = try rate(threads: threads, duration: slice) {
                let ok = floorSignature.withUnsafeBytes { sig in signingInput.withUnsafeBytes { floorVerify(sig, $0) } }
                if !ok { throw ValidationError("EVP verify failed") }
            }
            let g = try rate(threads: threads, duration: slice / 2) {
                if !gmpVerify() { throw ValidationError("GMPVerifier verify failed") }
            }
            gmp.samples.append(g)
            mint.samples.append(m)
            sign.samples.append(s)
            verify.samples.append(v)
            evpVerify.samples.append(ev)
            mintRatios.samples.append(m / s)
            verifyRatios.samples.append(v / ev)
        }
        return BenchResult(
            algorithm: algorithm, bits: key.publicKey.bits, keyDescription: key.publicKey.keyDescription,
            threads: threads, engine: engineName, verifyEngine: verifyEngineName, engineReason: engineReason,
            verifyEngineReason: verifyEngineReason, mint: mint, evpSign: sign,
            verify: verify,
            evpVerify: evpVerify, gmpVerify: gmp, allocations: countAllocations(), mintRatios: mintRatios,
            verifyRatios: verifyRatios)
    }
}

/// Heap allocations per operation on the calling thread (see ``AllocationCounter``), or nil when not counted.
struct Allocations {
    var mint: Double?
    var evpSign: Double?
    var verify: Double?
    var evpVerify: Double?

    func json(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "null" }
    func text(_ a: Double?, _ b: Double?) -> String {
        guard let a, let b else { return "n/a" }
        return String(format: "%.1f/%.1f", a, b)
    }
}

extension BenchSetup {
    /// Counts allocations per operation over a few operations on this thread, after a warm-up.
    func countAllocations() -> Allocations {
        guard let count = AllocationCounter.threadCount else { return Allocations() }
        func perOp(_ n: Int, _ body: () throws -> Void) -> Double? {
            try? body()
            let before = count()
            for _ in 0..<n { guard (try? body()) != nil else { return nil } }
            return Double(count() - before) / Double(n)
        }
        let n = key.publicKey.bits > 2048 ? 8 : 32
        let token = self.token
        var buffer = [UInt8](repeating: 0, count: max(minter.maximumAssertionLength, floorCapacity))
        return buffer.withUnsafeMutableBytes { out in
            Allocations(
                mint: perOp(n) {
                    var output = MutableRawSpan(_unsafeBytes: out)
                    _ = try minter.mint(into: &output)
                },
                evpSign: perOp(n) {
                    _ = try signingInput.withUnsafeBytes { try floorSign($0, out) }
                },
                // The path the verify/s column measures: the zero-allocation verify with a stack scratch buffer.
                verify: perOp(n * 4) {
                    try withUnsafeTemporaryAllocation(byteCount: scratchByteCount, alignment: 8) { buffer in
                        var scratch = MutableRawSpan(_unsafeBytes: buffer)
                        _ = try verifier.verify(RawSpan(_elements: token.span), scratch: &scratch)
                    }
                },
                evpVerify: perOp(n * 4) {
                    let ok = floorSignature.withUnsafeBytes { s in signingInput.withUnsafeBytes { floorVerify(s, $0) } }
                    if !ok { throw ValidationError("EVP verify failed") }
                })
        }
    }
}

/// A one-line progress indicator on a terminal's stderr.
final class Progress: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }
    func say(_ s: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + s).utf8))
    }
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

func cpuDescription() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    var model = "unknown"
    var family = "?"
    var modelNumber = "?"
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { continue }
        if parts[0] == "model name", model == "unknown" { model = parts[1] }
        if parts[0] == "cpu family", family == "?" { family = parts[1] }
        if parts[0] == "model", modelNumber == "?" { modelNumber = parts[1] }
        if model != "unknown" && family != "?" && modelNumber != "?" { break }
    }
    return "\(model) (family \(family), model \(modelNumber)), \(ProcessInfo.processInfo.activeProcessorCount) cores"
}

func jsonString(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
