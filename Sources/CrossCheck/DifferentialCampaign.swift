// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import SignetKeys

/// A randomized differential campaign between SignetKeys (OpenSSL) and GMPVerifier: valid signatures and their mutations
/// (bit flips in signature or signed bytes, truncations, extensions, and the boundary values 0, 1, n−1, n, n+1),
/// each verified by both. Used by `signet cross-check` and by the test suite (with a fixed seed and fixed keys).
///
/// A campaign made by ``comparingEngine(_:)`` is also an engine differential: every valid case is signed on OpenSSL
/// EVP and on a signing engine (`RSAEngine`), the two signatures must be byte-identical (RSASSA-PKCS1-v1_5
/// is deterministic), and GMPVerifier must accept the engine's signature; and where the engine also performs the
/// public-key operation (`RSAPublicKey.engine`), every case, valid or mutated, is verified on it too, and its
/// verdict must be OpenSSL's.
public struct DifferentialCampaign {
    /// One case where the two implementations disagree, with everything needed to reproduce it.
    public struct Disagreement: Sendable, CustomStringConvertible {
        /// The mutation that produced the case.
        public let kind: String
        /// The algorithm.
        public let algorithm: RSASignatureAlgorithm
        /// Modulus, big-endian.
        public let modulus: [UInt8]
        /// Public exponent, big-endian.
        public let exponent: [UInt8]
        /// The signed bytes.
        public let message: [UInt8]
        /// The signature.
        public let signature: [UInt8]
        /// OpenSSL's verdict.
        public let openSSLVerdict: Bool
        /// GMPVerifier's verdict.
        public let gmpVerdict: Bool
        /// For an engine mismatch (``engine`` is set): the engine's signature, empty when the engine refused to
        /// release one (`rsa.engine-fault`). ``signature`` is then OpenSSL EVP's signature of the same message, and
        /// the two verdicts are OpenSSL's and GMPVerifier's on the engine's signature. `nil` for a verifier disagreement.
        public let engineSignature: [UInt8]?
        /// For an engine mismatch: the engine that signed (e.g. `emulated`); `nil` for a verifier disagreement.
        public let engine: RSAEngine?
        /// For an engine verification that disagreed with OpenSSL's verdict: the engine's verdict on ``signature``
        /// (then ``engineSignature`` is `nil`); `nil` otherwise.
        public let engineVerdict: Bool?

        init(
            kind: String, algorithm: RSASignatureAlgorithm, modulus: [UInt8], exponent: [UInt8], message: [UInt8],
            signature: [UInt8], openSSLVerdict: Bool, gmpVerdict: Bool, engineSignature: [UInt8]? = nil,
            engine: RSAEngine? = nil, engineVerdict: Bool? = nil
        ) {
            self.engineVerdict = engineVerdict
            self.kind = kind
            self.algorithm = algorithm
            self.modulus = modulus
            self.exponent = exponent
            self.message = message
            self.signature = signature
            self.openSSLVerdict = openSSLVerdict
            self.gmpVerdict = gmpVerdict
            self.engineSignature = engineSignature
            self.engine = engine
        }

        /// A multi-line reproducer (hex).
        public var description: String {
            func hex(_ b: [UInt8]) -> String {
                b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
                    .joined()
            }
            if let engine, let engineVerdict {
                return """
                    disagreement (\(kind), \(algorithm)): engine \(engine)=\(engineVerdict) OpenSSL=\(openSSLVerdict) GMPVerifier=\(gmpVerdict)
                      n=\(hex(modulus))
                      e=\(hex(exponent))
                      message=\(hex(message))
                      signature=\(hex(signature))
                    """
            }
            guard let engine else {
                return """
                    disagreement (\(kind), \(algorithm)): OpenSSL=\(openSSLVerdict) GMPVerifier=\(gmpVerdict)
                      n=\(hex(modulus))
                      e=\(hex(exponent))
                      message=\(hex(message))
                      signature=\(hex(signature))
                    """
            }
            return """
                disagreement (\(kind), \(algorithm), engine \(engine)): on the engine's signature OpenSSL=\(openSSLVerdict) GMPVerifier=\(gmpVerdict)
                  n=\(hex(modulus))
                  e=\(hex(exponent))
                  message=\(hex(message))
                  OpenSSL EVP signature=\(hex(signature))
                  engine signature=\(hex(engineSignature ?? []))
                """
        }
    }

    /// Totals of a campaign.
    public struct Totals: Sendable {
        /// Cases run.
        public var cases = 0
        /// Cases both said valid.
        public var bothValid = 0
        /// Cases both said invalid.
        public var bothInvalid = 0
        /// Disagreements found (verifier disagreements and engine mismatches).
        public var disagreements: [Disagreement] = []
        /// Engine signatures compared with OpenSSL EVP's signature of the same message (one per valid case of a
        /// campaign made by ``DifferentialCampaign/comparingEngine(_:)``).
        public var engineSignatures = 0
        /// Engine signatures byte-identical to OpenSSL EVP's (PS256/384/512, whose random salt makes every
        /// signature different: engine signatures that OpenSSL EVP verifies).
        public var engineIdentical = 0
        /// Engine signatures that GMPVerifier verified as valid.
        public var engineVerifiedByGMP = 0
        /// Cases (valid and mutated) verified on the engine's public-key operation as well (engine campaigns whose
        /// engine verifies, see `RSAPublicKey.engine`).
        public var engineVerifications = 0
        /// Engine signatures that differ from OpenSSL EVP's, that GMPVerifier rejected, or that the engine refused to
        /// release, and engine verdicts that differ from OpenSSL's (each is also in ``disagreements``).
        public var engineMismatches = 0
        /// Empty totals.
        public init() {}

        /// Adds `other`'s counts to these and appends its disagreements (e.g. to sum the totals of several keys).
        ///
        /// - Parameter other: The totals to add.
        /// - Allocation: only when `other` has disagreements (the array grows).
        public mutating func merge(_ other: Totals) {
            cases += other.cases
            bothValid += other.bothValid
            bothInvalid += other.bothInvalid
            disagreements += other.disagreements
            engineSignatures += other.engineSignatures
            engineIdentical += other.engineIdentical
            engineVerifiedByGMP += other.engineVerifiedByGMP
            engineVerifications += other.engineVerifications
            engineMismatches += other.engineMismatches
        }
    }

    /// Signs the valid cases (OpenSSL EVP in a campaign made by ``comparingEngine(_:)``).
    let key: RSAPrivateKey
    let gmpKey: GMPRSAPublicKey
    /// The same key on the engine under test, or `nil` when the campaign compares verifiers only.
    let engineKey: RSAPrivateKey?

    /// A campaign over one key.
    ///
    /// - Parameter key: The key whose signatures (and their mutations) both verifiers check.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key.
    /// - Allocation: allocates (GMPVerifier's copy of the public key).
    public init(key: RSAPrivateKey) throws(GMPVerifierError) {
        self.key = key
        self.gmpKey = try GMPRSAPublicKey(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent)
        self.engineKey = nil
    }

    private init(evpKey: RSAPrivateKey, gmpKey: GMPRSAPublicKey, engineKey: RSAPrivateKey) {
        self.key = evpKey
        self.gmpKey = gmpKey
        self.engineKey = engineKey
    }

    /// The engine whose signatures this campaign compares with OpenSSL's, or `nil` (verifiers only). For
    /// `RSAEngine.automatic` it is the engine that was chosen at key load.
    public var engine: RSAEngine? { engineKey?.engine }

    /// The same campaign, plus an engine differential: every valid case is signed on OpenSSL EVP (explicitly, so an
    /// IFMA engine chosen automatically never stands in for the baseline) and on `engine`; the signatures must be
    /// byte-identical and GMPVerifier must accept the engine's (see ``compareEngineSignature(_:openSSLSignature:message:algorithm:into:)``).
    ///
    /// - Parameter engine: The engine under test: `RSAEngine.ifma256`, `RSAEngine.ifma512`,
    ///   `RSAEngine.automatic`, `RSAEngine.openSSL` (EVP against itself), or a test-only emulated
    ///   engine.
    /// - Returns: A campaign over the same key whose ``engine`` is set.
    /// - Throws: `SignetKeyError` `rsa.engine-unavailable` when `engine` cannot run on this CPU or does not take
    ///   this key (the IFMA engines take RSA-2048, RSA-3072 and RSA-4096 with equal-size primes); never silently
    ///   skipped.
    /// - Allocation: allocates (the engine loads the key).
    public func comparingEngine(_ engine: RSAEngine) throws(SignetKeyError) -> DifferentialCampaign {
        DifferentialCampaign(
            evpKey: try key.using(engine: .openSSL), gmpKey: gmpKey, engineKey: try key.using(engine: engine))
    }

    /// Signs one random message and runs it and `mutations` mutations of it through both verifiers. In an engine
    /// campaign (``comparingEngine(_:)``) the message is also signed on the engine and compared with OpenSSL's
    /// signature (``compareEngineSignature(_:openSSLSignature:message:algorithm:into:)``).
    ///
    /// - Parameters:
    ///   - algorithm: The algorithm.
    ///   - mutations: How many mutated cases to derive from the valid one (0: the valid case only).
    ///   - rng: The randomness (seeded in tests).
    ///   - totals: Accumulates the results.
    /// - Throws: `SignetKeyError` if OpenSSL signing fails, or if the engine fails other than by refusing a
    ///   signature (`rsa.engine-fault` is counted as an engine mismatch, not thrown).
    /// - Allocation: allocates (the message, signatures and mutated copies).
    public func run<R: RandomNumberGenerator>(
        algorithm: RSASignatureAlgorithm, mutations: Int, using rng: inout R, into totals: inout Totals
    ) throws(SignetKeyError) {
        let length = Int.random(in: 0...900, using: &rng)
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let signature = try key.signature(for: message, algorithm: algorithm)
        check("valid", algorithm, message, signature, &totals)
        if let engineKey {
            do throws(SignetKeyError) {
                let engineSignature = try engineKey.signature(for: message, algorithm: algorithm)
                compareEngineSignature(
                    engineSignature, openSSLSignature: signature, message: message, algorithm: algorithm, into: &totals)
            } catch  where error.code == .engineFault {
                // The engine's verify-after-sign check refused the signature: a fault, recorded like a mismatch.
                totals.engineSignatures += 1
                totals.engineMismatches += 1
                totals.disagreements.append(
                    Disagreement(
                        kind: "engine fault: \(error.reason)", algorithm: algorithm, modulus: key.publicKey.modulus,
                        exponent: key.publicKey.exponent, message: message, signature: signature, openSSLVerdict: false,
                        gmpVerdict: false, engineSignature: [], engine: engineKey.engine))
            }
        }
        let n = key.publicKey.modulus
        for i in 0..<mutations {
            var m = message
            var s = signature
            let kind: String
            switch i % 12 {
            case 0, 1, 2, 3:
                let bit = Int.random(in: 0..<(s.count * 8), using: &rng)
                s[bit / 8] ^= 1 << UInt8(bit % 8)
                kind = "signature bit flip"
            case 4, 5:
                if m.isEmpty {
                    m = [0]
                } else {
                    let bit = Int.random(in: 0..<(m.count * 8), using: &rng)
                    m[bit / 8] ^= 1 << UInt8(bit % 8)
                }
                kind = "message bit flip"
            case 6:
                s.removeLast(Int.random(in: 1...8, using: &rng))
                kind = "signature truncated"
            case 7:
                s.append(UInt8.random(in: 0...255, using: &rng))
                kind = "signature extended"
            case 8:
                s.insert(0, at: 0)
                s.removeLast()
                kind = "signature shifted"
            case 9:
                let choice = Int.random(in: 0..<5, using: &rng)
                s =
                    [
                        [UInt8](repeating: 0, count: n.count), [UInt8](repeating: 0, count: n.count - 1) + [1],
                        Self.add(n, -1), n, Self.add(n, 1),
                    ][choice]
                kind = ["signature 0", "signature 1", "signature n-1", "signature n", "signature n+1"][choice]
            case 10:
                s = (0..<s.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                kind = "random signature"
            default:
                let other =
                    RSASignatureAlgorithm.all.filter { $0 != algorithm && $0.gmp != nil }.randomElement(using: &rng)
                    ?? .rs256
                check("other algorithm", other, m, s, &totals)
                continue
            }
            check(kind, algorithm, m, s, &totals)
        }
    }

    /// Compares one engine signature with OpenSSL EVP's signature of the same message and counts it in `totals`:
    /// identical bytes and GMPVerifier's acceptance are both required. A failure is recorded in
    /// ``Totals/disagreements`` (kind `engine signature differs`, or `engine signature rejected by GMPVerifier` when the
    /// bytes match) with both signatures and both verifiers' verdicts on the engine's signature.
    /// ``run(algorithm:mutations:using:into:)`` calls this for every valid case of an engine campaign.
    ///
    /// - Parameters:
    ///   - engineSignature: The signature the engine produced.
    ///   - openSSLSignature: OpenSSL EVP's signature of `message` with this campaign's key.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm both signed with.
    ///   - totals: Accumulates the result.
    /// - Allocation: none when the signatures agree (beyond GMPVerifier's limb allocations); a mismatch allocates its
    ///   reproducer.
    public func compareEngineSignature(
        _ engineSignature: [UInt8], openSSLSignature: [UInt8], message: [UInt8], algorithm: RSASignatureAlgorithm,
        into totals: inout Totals
    ) {
        // PSS signatures carry a random salt, so two signers never match byte for byte: there the engine's
        // signature must verify on OpenSSL instead.
        let identical =
            algorithm.usesPSS
            ? key.publicKey.isValidSignature(engineSignature, for: message, algorithm: algorithm)
            : engineSignature == openSSLSignature
        let gmp = algorithm.gmp.map { gmpKey.isValidSignature(engineSignature, for: message, algorithm: $0) } ?? false
        totals.engineSignatures += 1
        if identical { totals.engineIdentical += 1 }
        if gmp { totals.engineVerifiedByGMP += 1 }
        guard !identical || !gmp else { return }
        totals.engineMismatches += 1
        totals.disagreements.append(
            Disagreement(
                kind: identical ? "engine signature rejected by GMPVerifier" : "engine signature differs",
                algorithm: algorithm,
                modulus: key.publicKey.modulus, exponent: key.publicKey.exponent, message: message,
                signature: openSSLSignature,
                openSSLVerdict: key.publicKey.isValidSignature(engineSignature, for: message, algorithm: algorithm),
                gmpVerdict: gmp, engineSignature: engineSignature, engine: engineKey?.engine ?? key.engine))
    }

    func check(_ kind: String, _ alg: RSASignatureAlgorithm, _ m: [UInt8], _ s: [UInt8], _ totals: inout Totals) {
        let evp = key.publicKey.isValidSignature(s, for: m, algorithm: alg)
        // An algorithm GMPVerifier cannot verify reads as its rejection, so the campaign reports every such case.
        let gmp = alg.gmp.map { gmpKey.isValidSignature(s, for: m, algorithm: $0) } ?? false
        totals.cases += 1
        if let engineKey, engineKey.publicKey.engine != .openSSL {
            let mine = engineKey.publicKey.isValidSignature(s, for: m, algorithm: alg)
            totals.engineVerifications += 1
            if mine != evp {
                totals.engineMismatches += 1
                totals.disagreements.append(
                    Disagreement(
                        kind: "engine verify: \(kind)", algorithm: alg, modulus: key.publicKey.modulus,
                        exponent: key.publicKey.exponent, message: m, signature: s, openSSLVerdict: evp,
                        gmpVerdict: gmp,
                        engine: engineKey.publicKey.engine, engineVerdict: mine))
            }
        }
        if evp != gmp {
            totals.disagreements.append(
                Disagreement(
                    kind: kind, algorithm: alg, modulus: key.publicKey.modulus, exponent: key.publicKey.exponent,
                    message: m, signature: s, openSSLVerdict: evp, gmpVerdict: gmp))
        } else if evp {
            totals.bothValid += 1
        } else {
            totals.bothInvalid += 1
        }
    }

    /// Big-endian `a + delta` for delta = ±1, same length (wraps silently; only used on moduli).
    static func add(_ a: [UInt8], _ delta: Int) -> [UInt8] {
        var r = a
        var i = r.count - 1
        if delta > 0 {
            while i >= 0 {
                r[i] &+= 1
                if r[i] != 0 { break }
                i -= 1
            }
        } else {
            while i >= 0 {
                r[i] &-= 1
                if r[i] != 0xFF { break }
                i -= 1
            }
        }
        return r
    }
}
