// SPDX-License-Identifier: Apache-2.0

import CSignetIFMA
import TestSupport
import Testing

@_spi(Testing) @testable import SignetKeys

/// The IFMA engine (Sources/CSignetIFMA) against OpenSSL EVP through the public signing API. Its emulated
/// backends run the same kernel on portable C lanes, so these tests exercise the algorithm on every machine; the
/// native backends are tested wherever the CPU enables AVX-512 IFMA.
@Suite struct SigningEngineTests {
    static let key4096: RSAPrivateKey = {
        // A fixed Wycheproof key keeps the suite deterministic and avoids generating RSA-4096 keys in tests.
        guard let pem = try? Wycheproof.signCases("rsa_pkcs1_4096_sig_gen_test.json").first?.privateKeyPEM,
            let key = try? RSAPrivateKey(pem: pem)
        else {
            fatalError("test fixture: Wycheproof RSA-4096 signing key")
        }
        return key
    }()

    /// Engines to compare with EVP here: the emulated ones always, the native ones where the CPU has them.
    static var engines: [RSAEngine] { [.emulated, .emulated512] + RSAEngine.supportedIFMA }

    @Test(arguments: engines)
    func signaturesAreByteIdenticalToOpenSSL(engine: RSAEngine) throws {
        var rng = SplitMix64(seed: 0x1F3A_0001)
        let evp = try Fixtures.key2048.using(engine: .openSSL)
        let key = try Fixtures.key2048.using(engine: engine)
        #expect(key.engine == engine)
        // 40 signatures cross the blinding regeneration (every 32 operations) once.
        for i in 0..<40 {
            let alg = RSASignatureAlgorithm.all[i % 3]
            let message = rng.bytes(Int.random(in: 0...600, using: &rng))
            let signature = try key.signature(for: message, algorithm: alg)
            #expect(signature == (try evp.signature(for: message, algorithm: alg)))
            #expect(key.publicKey.isValidSignature(signature, for: message, algorithm: alg))
        }
    }

    @Test(arguments: engines)
    func rsa4096SignaturesAreByteIdenticalToOpenSSL(engine: RSAEngine) throws {
        var rng = SplitMix64(seed: 0x1F3A_0002)
        let evp = try Self.key4096.using(engine: .openSSL)
        let key = try Self.key4096.using(engine: engine)
        for alg in [RSASignatureAlgorithm.rs512, .rs256] {
            let message = rng.bytes(300)
            #expect(try key.signature(for: message, algorithm: alg) == evp.signature(for: message, algorithm: alg))
        }
    }

    /// Wycheproof's deterministic signatures, byte for byte, through the emulated engine: every key of each file
    /// (keys whose primes differ in size are outside the engine's scope: asking for it explicitly is refused), two
    /// messages each. (`perf/ccheck.sh`, in CI, signs every valid vector through the engine's C API on both emulated
    /// backends, optimised; here, in a debug build, the point is the Swift path to the engine.)
    @Test(
        arguments: [
            "rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_3072_sig_gen_test.json", "rsa_pkcs1_4096_sig_gen_test.json",
        ])
    func wycheproofSignThroughTheEngine(file: String) throws {
        var engines: [String: RSAPrivateKey?] = [:]
        var signedPerKey: [String: Int] = [:]
        var signed = 0
        for c in try Wycheproof.signCases(file)
        where c.result == "valid" && signedPerKey[c.privateKeyPEM, default: 0] < 2 {
            let alg = try #require(RSASignatureAlgorithm(jwsName: "RS" + c.sha.dropFirst(4)))
            if engines[c.privateKeyPEM] == nil {
                let key = try RSAPrivateKey(pem: c.privateKeyPEM)
                do {
                    engines[c.privateKeyPEM] = .some(try key.using(engine: .emulated))
                } catch {
                    #expect(error.code == .engineUnavailable)
                    engines[c.privateKeyPEM] = .some(nil)
                }
            }
            guard let key = engines[c.privateKeyPEM] ?? nil else { continue }
            #expect(try key.signature(for: c.message, algorithm: alg) == c.signature, "tcId \(c.tcId)")
            signedPerKey[c.privateKeyPEM, default: 0] += 1
            signed += 1
        }
        #expect(signed >= 4)
    }

    @Test func concurrentEngineSigningIsSafe() async throws {
        let key = try Fixtures.key2048.using(engine: .emulated)
        let message = Array("concurrent engine".utf8)
        let expected = try Fixtures.key2048.using(engine: .openSSL).signature(for: message, algorithm: .rs256)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<4 where try key.signature(for: message, algorithm: .rs256) != expected { return false }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    /// On every CPU: `automatic` signs on OpenSSL or on an IFMA width this CPU runs (exactly OpenSSL without IFMA;
    /// which width wins is measured at load, so on an IFMA CPU the test asserts the set, not the winner), and the
    /// engine it chose signs byte for byte as OpenSSL does.
    @Test func automaticChoosesAnEngineThisCPURunsAndSignsAsOpenSSL() throws {
        let key = try Fixtures.key2048.using(engine: .automatic)
        if RSAEngine.supportedIFMA.isEmpty {
            #expect(key.engine == .openSSL)
        } else {
            #expect(key.engine == .openSSL || RSAEngine.supportedIFMA.contains(key.engine))
        }
        let evp = try Fixtures.key2048.using(engine: .openSSL)
        #expect(evp.engine == .openSSL)
        let message = Array("automatic".utf8)
        #expect(try key.signature(for: message, algorithm: .rs256) == evp.signature(for: message, algorithm: .rs256))
    }

    @Test func automaticKeepsOpenSSLUnlessAnIFMAWidthMeasuredFaster() {
        typealias E = RSAEngine
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 120), ("zmm", 110)]) == nil)
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 90), ("zmm", 80)]) == "zmm")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 70), ("zmm", 80)]) == "ymm")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 100)]) == nil, "a tie keeps OpenSSL")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 96)]) == nil, "4 % faster is within the margin")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", 94)]) == "ymm", "6 % faster is not")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", .max), ("zmm", 90)]) == "zmm")
        #expect(E.fastest(openSSL: 100, candidates: [("ymm", UInt64.max)]) == nil, "a failed width is never chosen")
        #expect(E.fastest(openSSL: 0, candidates: [("ymm", 1)]) == nil, "OpenSSL failed to time: keep OpenSSL")
        #expect(E.fastest(openSSL: 100, candidates: [(String, UInt64)]()) == nil)
        // the OpenSSL side of the comparison times real signatures (RSA-2048: about a millisecond, never 0)
        // (a lower bound only: no CPU does three RSA-2048 private operations in 10 µs, and a busy one is slower)
        let nanos = Fixtures.key2048.openSSLPrivateOperationNanoseconds(count: 3)
        #expect(nanos > 10_000, "\(nanos) ns")
    }

    /// The decision says why, with the times and the ratio it was made on; every key says which engine and why.
    @Test func theEngineChoiceSaysWhy() throws {
        typealias E = RSAEngine
        let faster = E.decide(openSSL: 2_000_000, candidates: [(.ifma256, 1_600_000), (.ifma512, 1_500_000)])
        #expect(faster.engine == .ifma512, "\(faster)")
        #expect(faster.reason.contains("ifma512 1500.0 µs vs OpenSSL 2000.0 µs") && faster.reason.contains("1.33x"))
        let near = E.decide(openSSL: 2_000_000, candidates: [(.ifma512, 1_920_000)])
        #expect(near.engine == .openSSL && near.reason.contains("1.04x") && near.reason.contains("margin"), "\(near)")
        let failed = E.decide(openSSL: 2_000_000, candidates: [(.ifma512, .max)])
        #expect(failed.engine == .openSSL && failed.reason.contains("could be timed"), "\(failed)")
        #expect(E.decide(openSSL: 0, candidates: [(.ifma256, 5)]).engine == .openSSL)

        let automatic = try Fixtures.key2048.using(engine: .automatic)
        if RSAEngine.supportedIFMA.isEmpty {
            #expect(automatic.engineChoice.reason.contains("AVX-512 IFMA"), "\(automatic.engineChoice)")
            #expect(automatic.publicKey.engineChoice.reason.contains("AVX-512 IFMA"))
        } else {
            #expect(automatic.engineChoice.engine == automatic.engine)
            #expect(automatic.engineChoice.reason.contains("OpenSSL"), "\(automatic.engineChoice)")
        }
        let requested = try Fixtures.key2048.using(engine: .emulated)
        #expect(requested.engineChoice.engine == .emulated && requested.engineChoice.reason == "requested")
        #expect(try Fixtures.key2048.using(engine: .openSSL).engineChoice.description == "evp: requested")
    }

    /// On every CPU, both native widths: where the CPU runs one it loads and signs as OpenSSL does; where it does
    /// not, asking for it explicitly is `rsa.engine-unavailable`, saying that AVX-512 IFMA is needed.
    @Test(arguments: [RSAEngine.ifma256, .ifma512])
    func nativeEnginesLoadExactlyWhereTheCPURunsThem(engine: RSAEngine) throws {
        if RSAEngine.supportedIFMA.contains(engine) {
            let key = try Fixtures.key2048.using(engine: engine)
            #expect(key.engine == engine)
            let message = Array("native".utf8)
            let evp = try Fixtures.key2048.using(engine: .openSSL)
            #expect(
                try key.signature(for: message, algorithm: .rs256) == evp.signature(for: message, algorithm: .rs256))
        } else {
            let error = #expect(throws: SignetKeyError.self) { try Fixtures.key2048.using(engine: engine) }
            #expect(error?.code == .engineUnavailable)
            #expect(error?.reason.contains("needs AVX-512 IFMA") == true, "\(String(describing: error))")
        }
    }

    /// The refusal of a backend the CPU lacks, on every CPU (the C engine's code mapped to the error users see).
    /// `SIGNET_RSA_ENGINE`: empty or `auto` asks for nothing, a name asks for its engine, anything else is refused
    /// with the names it may take (it was silently ignored).
    @Test func theEnvironmentsEngineIsReadStrictly() throws {
        #expect(try RSAEngine.environmentPreference("").get() == nil)
        #expect(try RSAEngine.environmentPreference("auto").get() == nil)
        #expect(try RSAEngine.environmentPreference("evp").get() == .openSSL)
        #expect(try RSAEngine.environmentPreference("ifma512").get() == .ifma512)
        for typo in ["no-such", "EVP", "ifma", " evp", "emulated", String(repeating: "x", count: 500)] {
            switch RSAEngine.environmentPreference(typo) {
            case .success(let engine): Issue.record("\(typo.prefix(20)) read as \(String(describing: engine))")
            case .failure(let error):
                #expect(error.code == .engineUnknown)
                #expect(error.code.rawValue == "rsa.engine-unknown")
                #expect(error.reason.contains("auto, evp, ifma256 or ifma512"), "\(error.reason)")
                #expect(error.reason.count < 200)
            }
        }
    }

    @Test func aMissingBackendIsReportedAsSuch() {
        let error = RSAEngine.loadFailure(.ifma512, code: SIGNET_IFMA_ERR_BACKEND, shape: "shape", specific: [:])
        #expect(error.code == .engineUnavailable)
        #expect(error.reason == "the ifma512 engine needs AVX-512 IFMA, which this CPU or OS does not enable")
    }

    @Test func keyShapesTheEngineDoesNotTakeAreRefused() throws {
        // RSA-2560: the engine covers 2048, 3072 and 4096 only; asking for it explicitly is an error, automatic falls
        // back.
        let key = try RSAPrivateKey.generate(bits: 2560)
        let error = #expect(throws: SignetKeyError.self) { try key.using(engine: .emulated) }
        #expect(error?.code == .engineUnavailable)
        #expect(try key.using(engine: .automatic).engine == .openSSL)
    }

    @Test func engineNamesRoundTrip() {
        for name in ["auto", "evp", "ifma256", "ifma512"] { #expect(RSAEngine(name: name)?.name == name) }
        #expect(RSAEngine(name: "emulated") == nil)
        #expect(RSAEngine(name: "EVP") == nil)
    }
}
