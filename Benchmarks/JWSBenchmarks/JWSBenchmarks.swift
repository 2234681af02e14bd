// SPDX-License-Identifier: Apache-2.0

//
// Client-assertion mint and verify next to the raw OpenSSL EVP floor and GMPVerifier, all in one process and one run.
// Names: `RS256.mint.2048` is a full client assertion (fresh jti from the CSPRNG, exp/iat, cached header, payload,
// RSA signature, base64url) into a reused buffer; `EVP.sign.RS256.2048` is a plain EVP_DigestSign of the same
// signing input with a fresh EVP_MD_CTX (what a C program does). Malloc thresholds (Benchmarks/Thresholds): verify
// and parse allocate nothing (0); mint signs with OpenSSL whatever engine `automatic` would choose on this CPU, and is
// pinned at the allocations OpenSSL's RSA private-key operation makes inside EVP_PKEY_sign (BN_CTX, blinding, CRT
// buffers: about 20), which Signet cannot avoid while OpenSSL signs.
// `IFMA.mint.RS256.2048` and `IFMA.mint.RS512.4096` are the same mint on Signet's IFMA engine, which allocates
// nothing: held at 0. They sign on the native 256-bit engine where the CPU has AVX-512 IFMA, else on the emulated
// lanes (the same Swift path and the same C code around the kernel, about a hundred times slower), so the allocation
// threshold holds on any machine.
// `ES256.verify.P-256` … `EdDSA.verify.Ed25519`: the same zero-allocation verify for the curve algorithms, on Signet's
// own ECDSA and Ed25519 (CSignetEC), held at 0 allocations; `EVP.verify.ES256.P-256` … beside them is OpenSSL's
// verification of the same signature (which allocates inside OpenSSL).
import Base64URL
import Benchmark
import ClientAssertion
import Foundation
import GMPVerifier
@_spi(Testing) import JWS
@_spi(Testing) @_spi(Benchmarking) import SignetKeys

struct Fixture: @unchecked Sendable {  // immutable after creation; every member is Sendable or only read
    let key: RSAPrivateKey
    let algorithm: RSASignatureAlgorithm
    let minter: ClientAssertionMinter
    let verifier: JWSVerifier
    let token: [UInt8]
    let signingInput: [UInt8]
    let signature: [UInt8]
    let gmpKey: GMPRSAPublicKey
    /// GMPVerifier's form of the algorithm, when GMPVerifier verifies it (PKCS#1 v1.5).
    let gmpAlgorithm: GMPRSAAlgorithm?
    /// The same assertion minted with the key on the IFMA engine (native where the CPU has it, else emulated).
    let ifmaMinter: ClientAssertionMinter?

    init(bits: Int, algorithm: RSASignatureAlgorithm) throws {
        key = try RSAPrivateKey.generate(bits: bits)
        self.algorithm = algorithm
        let audience = APIMEnvironment.integration.tokenURL
        let profile: ClientAssertionProfile = algorithm == .rs512 ? .apim(.integration) : .rfc7523(audience: audience)
        minter = try ClientAssertionMinter(
            key: key.using(engine: .openSSL), keyID: "bench", clientID: "bench-client-0123456789abcdef",
            profile: profile,
            algorithm: algorithm)
        ifmaMinter = try? ClientAssertionMinter(
            key: key.using(engine: RSAEngine.supportedIFMA.first ?? .emulated), keyID: "bench",
            clientID: "bench-client-0123456789abcdef", profile: profile, algorithm: algorithm)
        verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: key.publicKey, algorithm: algorithm, keyID: "bench")],
            policy: JWTValidationPolicy(
                issuer: minter.clientID, audience: audience, requireID: true, leeway: 3600,
                maximumLifetime: 300, expectedType: "JWT"))
        token = Array(try minter.mint().utf8)
        signingInput = Array(token[..<(token.lastIndex(of: UInt8(ascii: ".")) ?? 0)])
        signature = try key.signature(for: signingInput, algorithm: algorithm)
        gmpKey = try GMPRSAPublicKey(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent)
        gmpAlgorithm = GMPRSAAlgorithm(jwsName: algorithm.jwsName)
    }
}

/// A token of a curve algorithm (ES256/384/512, EdDSA) and its verifier.
struct CurveFixture: @unchecked Sendable {  // immutable after creation; every member is Sendable or only read
    let algorithm: JWSAlgorithm
    let key: JWSSigningKey
    let verifier: JWSVerifier
    let token: [UInt8]
    let signingInput: [UInt8]
    let signature: [UInt8]

    init(algorithm: JWSAlgorithm) throws {
        self.algorithm = algorithm
        key = try JWSSigningKey.generate(for: algorithm)
        let audience = "https://as.example/token"
        let signer = try JWSSigner(key: key, algorithm: algorithm, keyID: "bench")
        let now = NumericDate(Int64(Date().timeIntervalSince1970))
        token = Array(
            try signer.token(
                claims: JWTClaims(
                    issuer: "bench-client", subject: "bench-client", audience: [audience],
                    expiresAt: NumericDate(now.seconds + 300), issuedAt: now, id: "bench-jti-0123456789")
            ).utf8)
        verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: key.publicKey, algorithm: algorithm, keyID: "bench")],
            policy: JWTValidationPolicy(
                issuer: "bench-client", audience: audience, requireID: true, leeway: 3600, maximumLifetime: 300,
                expectedType: "JWT"))
        let dot = token.lastIndex(of: UInt8(ascii: ".")) ?? 0
        signingInput = Array(token[..<dot])
        signature = (try? Base64URL.decode(Array(token[(dot + 1)...]))) ?? []
    }

    /// OpenSSL's verdict on the signature (the floor beside Signet's own verification).
    func openSSLVerify() -> Bool {
        key.publicKey.isValidSignatureOnOpenSSL(signature, for: signingInput, algorithm: algorithm)
    }
}

func configuration(slow: Bool) -> Benchmark.Configuration {
    .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(slow ? 4 : 2),
        maxIterations: slow ? 400 : 20_000)
}

/// The zero-allocation verify path (strict JSON scan, alg/kid/typ, signature, claims) with a reused scratch.
func verifyBenchmark(
    _ name: String, _ configuration: Benchmark.Configuration, verifier: JWSVerifier, token: [UInt8]
) {
    Benchmark(name, configuration: configuration) { benchmark in
        var scratch = [UInt8](repeating: 0, count: 4096)
        var scratchSpan = scratch.mutableSpan
        var scratchBytes = MutableRawSpan(_elements: &scratchSpan)
        let span = RawSpan(_elements: token.span)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try verifier.verify(span, scratch: &scratchBytes).payload.byteCount)
            } catch {
                blackHole(error)
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    for (algorithm, curve) in [
        (JWSAlgorithm.es256, "P-256"), (.es384, "P-384"), (.es512, "P-521"), (.edDSA, "Ed25519"),
    ] {
        guard let f = try? CurveFixture(algorithm: algorithm) else { continue }
        var verifyConfig = configuration(slow: false)
        verifyConfig.thresholds = [.mallocCountTotal: .init(absolute: [.p90: 0])]
        verifyBenchmark("\(algorithm.jwsName).verify.\(curve)", verifyConfig, verifier: f.verifier, token: f.token)
        Benchmark("EVP.verify.\(algorithm.jwsName).\(curve)", configuration: configuration(slow: false)) { benchmark in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(f.openSSLVerify()) }
        }
    }
    // PS256: the PSS decoding on the verify path allocates nothing either (threshold 0).
    for (bits, algorithm) in [(2048, RSASignatureAlgorithm.rs256), (4096, .rs512), (2048, .ps256)] {
        guard let f = try? Fixture(bits: bits, algorithm: algorithm) else { continue }
        let name = "\(algorithm.jwsName).\(bits)"
        let signConfig = configuration(slow: bits == 4096)
        let verifyConfig = configuration(slow: false)

        Benchmark("\(algorithm.jwsName).mint.\(bits)", configuration: signConfig) { benchmark in
            var buffer = [UInt8](repeating: 0, count: f.minter.maximumAssertionLength)
            var bufferSpan = buffer.mutableSpan
            var out = MutableRawSpan(_elements: &bufferSpan)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try? f.minter.mint(into: &out)) }
        }
        if let ifmaMinter = f.ifmaMinter {
            // Allocation guard of the engine's mint path (its speed is `signet bench`'s business).
            var engineConfig = configuration(slow: true)
            engineConfig.thresholds = [.mallocCountTotal: .init(absolute: [.p90: 0])]
            Benchmark("IFMA.mint.\(name)", configuration: engineConfig) { benchmark in
                var buffer = [UInt8](repeating: 0, count: ifmaMinter.maximumAssertionLength)
                var bufferSpan = buffer.mutableSpan
                var out = MutableRawSpan(_elements: &bufferSpan)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations { blackHole(try? ifmaMinter.mint(into: &out)) }
            }
        }
        Benchmark("EVP.sign.\(name)", configuration: signConfig) { benchmark in
            var buffer = [UInt8](repeating: 0, count: f.key.signatureByteCount)
            benchmark.startMeasurement()
            unsafe buffer.withUnsafeMutableBytes { out in
                unsafe f.signingInput.withUnsafeBytes { input in
                    for _ in benchmark.scaledIterations {
                        blackHole(try? unsafe RawEVPBaseline.sign(input, key: f.key, algorithm: f.algorithm, into: out))
                    }
                }
            }
        }
        verifyBenchmark("\(algorithm.jwsName).verify.\(bits)", verifyConfig, verifier: f.verifier, token: f.token)
        // The allocating convenience (returns the claims as Swift values).
        Benchmark("\(algorithm.jwsName).verifyAllocating.\(bits)", configuration: verifyConfig) { benchmark in
            benchmark.startMeasurement()
            unsafe f.token.withUnsafeBytes { token in
                for _ in benchmark.scaledIterations { blackHole(try? unsafe f.verifier.verify(token)) }
            }
        }
        Benchmark("EVP.verify.\(name)", configuration: verifyConfig) { benchmark in
            benchmark.startMeasurement()
            unsafe f.signature.withUnsafeBytes { sig in
                unsafe f.signingInput.withUnsafeBytes { input in
                    for _ in benchmark.scaledIterations {
                        blackHole(
                            unsafe RawEVPBaseline.verify(sig, for: input, key: f.key.publicKey, algorithm: f.algorithm))
                    }
                }
            }
        }
        if let gmpAlgorithm = f.gmpAlgorithm {
            Benchmark("GMPVerifier.verify.\(name)", configuration: verifyConfig) { benchmark in
                benchmark.startMeasurement()
                unsafe f.signature.withUnsafeBytes { sig in
                    unsafe f.signingInput.withUnsafeBytes { input in
                        for _ in benchmark.scaledIterations {
                            blackHole(unsafe f.gmpKey.isValidSignature(sig, for: input, algorithm: gmpAlgorithm))
                        }
                    }
                }
            }
        }
        Benchmark(
            "JWS.parse.\(name)",
            configuration: .init(
                metrics: [.throughput, .wallClock, .mallocCountTotal], timeUnits: .nanoseconds, scalingFactor: .kilo,
                maxDuration: .seconds(1), thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
        ) { benchmark in
            let token = RawSpan(_elements: f.token.span)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try? JWSCompactLayout(scanning: token)) }
        }
    }
}
