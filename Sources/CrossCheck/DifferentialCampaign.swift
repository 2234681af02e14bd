// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
@_spi(Testing) import JWS
import SignetKeys

/// A randomized differential campaign over one key of any family: valid signatures and their mutations, each checked
/// by every implementation Signet has for the family, which must all agree. Used by `signet cross-check` and by the
/// test suite (with a fixed seed and fixed keys).
///
/// - **RSA** (RS and PS): the key's own verification (libcrypto's Montgomery arithmetic, or the IFMA engine's
///   public-key operation when the key was loaded on it) against GMPVerifier's PKCS#1 v1.5 and EMSA-PSS. Mutations:
///   bit flips in signature or signed bytes, truncation, extension, a shifted signature, the values 0, 1, n − 1, n,
///   n + 1, random bytes, and the signature checked under another RSA algorithm.
/// - **EC** (ES256/384/512) and **Ed25519** (EdDSA): Signet's own verifier (`CSignetEC`, the path a verifier uses),
///   OpenSSL EVP and GMPVerifier's ECDSA and Ed25519. Mutations: the same flips, truncation and extension, boundary
///   scalars (0, n or L), random bytes, DER instead of `r ‖ s` (ECDSA) or R and S swapped (Ed25519), and the
///   malleated form: ECDSA's (r, n − s) is valid too (JWS has no low-S rule, RFC 7518 §3.4), so all must accept it
///   (counted in ``Totals/malleatedAccepted``); Ed25519's (R, S + L) must be refused by all (RFC 8032 §5.1.7).
///
/// A campaign made by ``comparingEngine(_:)`` (RSA) is also an engine differential: every valid case is signed on
/// OpenSSL EVP and on a signing engine (`RSAEngine`); PKCS#1 v1.5 signatures must be byte-identical, PSS ones must
/// verify on OpenSSL, GMPVerifier must accept each; and where the engine also performs the public-key operation,
/// every case is verified on it too and its verdict must be OpenSSL's.
public struct DifferentialCampaign: Sendable {
    /// One case where the implementations disagree (or an engine signature that fails its comparison), with what
    /// reproduces it.
    public struct Disagreement: Sendable, CustomStringConvertible {
        /// The mutation that produced the case (e.g. `signature bit flip`, `engine signature differs`).
        public let kind: String
        /// The algorithm the case was checked under.
        public let algorithm: JWSAlgorithm
        /// The public key as a JWK (`{"kty":…, "n","e" / "crv","x","y" / "crv","x"}`): loadable as it stands.
        public let publicKeyJWK: String
        /// The signed bytes.
        public let message: [UInt8]
        /// The signature checked (for an engine signature comparison: OpenSSL EVP's signature of ``message``).
        public let signature: [UInt8]
        /// Signet's own verdict (EC and Ed25519: `CSignetEC`); `nil` for RSA, whose own path is ``openSSLVerdict``.
        public let signetVerdict: Bool?
        /// OpenSSL's verdict (for an engine signature comparison: on the engine's signature).
        public let openSSLVerdict: Bool
        /// GMPVerifier's verdict (for an engine signature comparison: on the engine's signature).
        public let gmpVerdict: Bool
        /// For an engine signature comparison: the engine's signature, empty when the engine refused to release one
        /// (`rsa.engine-fault`); `nil` otherwise.
        public let engineSignature: [UInt8]?
        /// The engine of an engine comparison or engine verification; `nil` for a verifier disagreement.
        public let engine: RSAEngine?
        /// For an engine verification that disagreed with OpenSSL: the engine's verdict on ``signature``.
        public let engineVerdict: Bool?

        init(
            kind: String, algorithm: JWSAlgorithm, publicKeyJWK: String, message: [UInt8], signature: [UInt8],
            signetVerdict: Bool? = nil, openSSLVerdict: Bool, gmpVerdict: Bool, engineSignature: [UInt8]? = nil,
            engine: RSAEngine? = nil, engineVerdict: Bool? = nil
        ) {
            self.kind = kind
            self.algorithm = algorithm
            self.publicKeyJWK = publicKeyJWK
            self.message = message
            self.signature = signature
            self.signetVerdict = signetVerdict
            self.openSSLVerdict = openSSLVerdict
            self.gmpVerdict = gmpVerdict
            self.engineSignature = engineSignature
            self.engine = engine
            self.engineVerdict = engineVerdict
        }

        /// A multi-line reproducer: the verdicts, the key's JWK, the message and signature(s) in hex.
        public var description: String {
            var verdicts: [String] = []
            if let engine, let engineVerdict { verdicts.append("engine \(engine)=\(engineVerdict)") }
            if let signetVerdict { verdicts.append("Signet=\(signetVerdict)") }
            verdicts += ["OpenSSL=\(openSSLVerdict)", "GMPVerifier=\(gmpVerdict)"]
            var head = "\(kind), \(algorithm)"
            var on = ""
            if let engine, engineVerdict == nil {
                head += ", engine \(engine)"
                on = "on the engine's signature "
            }
            var lines = [
                "disagreement (\(head)): \(on)\(verdicts.joined(separator: " "))",
                "  key=\(publicKeyJWK)",
                "  message=\(DifferentialCampaign.hex(message))",
            ]
            if let engineSignature {
                lines.append("  OpenSSL EVP signature=\(DifferentialCampaign.hex(signature))")
                lines.append("  engine signature=\(DifferentialCampaign.hex(engineSignature))")
            } else {
                lines.append("  signature=\(DifferentialCampaign.hex(signature))")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Totals of a campaign: read them; ``merge(_:)`` sums the totals of several keys.
    public struct Totals: Sendable {
        /// Cases run.
        public internal(set) var cases = 0
        /// Cases every verifier said valid.
        public internal(set) var allValid = 0
        /// Cases every verifier said invalid.
        public internal(set) var allInvalid = 0
        /// ECDSA malleated signatures (r, n − s) of valid ones that every verifier accepted (also in ``allValid``):
        /// expected, since JWS has no low-S rule.
        public internal(set) var malleatedAccepted = 0
        /// Disagreements found (verifier disagreements and engine mismatches).
        public internal(set) var disagreements: [Disagreement] = []
        /// Engine signatures compared with OpenSSL EVP's signature of the same message (one per valid case of a
        /// campaign made by ``DifferentialCampaign/comparingEngine(_:)``).
        public internal(set) var engineSignatures = 0
        /// Engine signatures byte-identical to OpenSSL EVP's (PS algorithms, whose random salt makes every signature
        /// different: engine signatures that OpenSSL EVP verifies).
        public internal(set) var engineIdentical = 0
        /// Engine signatures that GMPVerifier verified as valid.
        public internal(set) var engineVerifiedByGMP = 0
        /// Cases (valid and mutated) verified on the engine's public-key operation as well (engine campaigns whose
        /// engine verifies, see `RSAPublicKey.engine`).
        public internal(set) var engineVerifications = 0
        /// Engine signatures that differ from OpenSSL EVP's, that GMPVerifier rejected, or that the engine refused to
        /// release, and engine verdicts that differ from OpenSSL's (each is also in ``disagreements``).
        public internal(set) var engineMismatches = 0
        /// Empty totals.
        public init() {}

        /// Adds `other`'s counts to these and appends its disagreements.
        ///
        /// - Parameter other: The totals to add.
        /// - Allocation: only when `other` has disagreements (the array grows).
        public mutating func merge(_ other: Totals) {
            cases += other.cases
            allValid += other.allValid
            allInvalid += other.allInvalid
            malleatedAccepted += other.malleatedAccepted
            disagreements += other.disagreements
            engineSignatures += other.engineSignatures
            engineIdentical += other.engineIdentical
            engineVerifiedByGMP += other.engineVerifiedByGMP
            engineVerifications += other.engineVerifications
            engineMismatches += other.engineMismatches
        }
    }

    /// Signs the valid cases (OpenSSL EVP in a campaign made by ``comparingEngine(_:)``).
    let key: JWSSigningKey
    /// GMPVerifier's verdict on (signature, message, algorithm); `false` for an algorithm it has no verifier for.
    let second: @Sendable ([UInt8], [UInt8], JWSAlgorithm) -> Bool
    /// The same RSA key on the engine under test, or `nil` when the campaign compares verifiers only.
    let engineKey: RSAPrivateKey?
    /// The key's public JWK, for reproducers.
    let publicKeyJWK: String

    /// A campaign over one key of any family.
    ///
    /// - Parameter key: The key whose signatures (and their mutations) every verifier checks.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key.
    /// - Allocation: allocates (GMPVerifier's copy of the public key).
    public init(key: JWSSigningKey) throws(GMPVerifierError) {
        let second: @Sendable ([UInt8], [UInt8], JWSAlgorithm) -> Bool
        switch key {
        case .rsa(let k):
            let gmpKey = try GMPRSAPublicKey(modulus: k.publicKey.modulus, exponent: k.publicKey.exponent)
            second = { s, m, alg in
                guard let g = alg.rsa?.gmp else { return false }
                return gmpKey.isValidSignature(s, for: m, algorithm: g)
            }
        case .ec, .ed25519:
            let gmp = try GMPSecondOpinion(key: key.publicKey, algorithm: key.defaultAlgorithm)
            second = { s, m, alg in gmp.isValid(s, for: m, alg: alg) }
        }
        self.init(key: key, secondOpinion: second)
    }

    /// A campaign whose second opinion is `secondOpinion` (tests use a corrupted one to see disagreements caught).
    init(
        key: JWSSigningKey, secondOpinion: @escaping @Sendable ([UInt8], [UInt8], JWSAlgorithm) -> Bool,
        engineKey: RSAPrivateKey? = nil
    ) {
        self.key = key
        self.second = secondOpinion
        self.engineKey = engineKey
        let members = key.publicKey.jwkMembers.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",")
        self.publicKeyJWK = "{\"kty\":\"\(key.publicKey.keyType)\",\(members)}"
    }

    /// The algorithms a campaign over this key checks: every RS and PS algorithm GMPVerifier verifies for an RSA
    /// key, the curve's ES algorithm, or EdDSA.
    public var algorithms: [JWSAlgorithm] {
        key.rsa == nil ? [key.defaultAlgorithm] : JWSAlgorithm.all.filter { $0.rsa?.gmp != nil }
    }

    /// The engine whose signatures this campaign compares with OpenSSL's, or `nil` (verifiers only). For
    /// `RSAEngine.automatic` it is the engine that was chosen at key load.
    public var engine: RSAEngine? { engineKey?.engine }

    /// The same campaign, plus an engine differential (RSA keys): every valid case is signed on OpenSSL EVP
    /// (explicitly, so an IFMA engine chosen automatically never stands in for the baseline) and on `engine`.
    ///
    /// - Parameter engine: The engine under test: `RSAEngine.ifma256`, `RSAEngine.ifma512`, `RSAEngine.automatic`,
    ///   `RSAEngine.openSSL` (EVP against itself), or a test-only emulated engine.
    /// - Returns: A campaign over the same key whose ``engine`` is set.
    /// - Throws: `SignetKeyError` `rsa.engine-unavailable` when `engine` cannot run on this CPU or does not take
    ///   this key (the IFMA engines take RSA-2048, RSA-3072 and RSA-4096 with equal-size primes), never silently
    ///   skipped; `key.wrong-type` for an EC or Ed25519 key (no signing engine but OpenSSL's).
    /// - Allocation: allocates (the engine loads the key).
    public func comparingEngine(_ engine: RSAEngine) throws(SignetKeyError) -> DifferentialCampaign {
        guard let rsa = key.rsa else {
            throw SignetKeyError(
                .wrongKeyType, reason: "signing engines are RSA's; \(key.publicKey.keyDescription) has only OpenSSL")
        }
        return DifferentialCampaign(
            key: .rsa(try rsa.using(engine: .openSSL)), secondOpinion: second,
            engineKey: try rsa.using(engine: engine))
    }

    /// Signs one random message under `algorithm` and runs it and `mutations` mutations of it through every
    /// verifier. In an engine campaign (``comparingEngine(_:)``) the message is also signed on the engine and
    /// compared with OpenSSL's signature.
    ///
    /// - Parameters:
    ///   - algorithm: One of ``algorithms``.
    ///   - mutations: How many mutated cases to derive from the valid one (0: the valid case only).
    ///   - rng: The randomness (seeded in tests).
    ///   - totals: Accumulates the results.
    /// - Throws: `SignetKeyError` `key.wrong-type` when the key does not sign `algorithm`, the signing failure if
    ///   OpenSSL cannot sign, or the engine's if it fails other than by refusing a signature (`rsa.engine-fault` is
    ///   counted as an engine mismatch, not thrown).
    /// - Allocation: allocates (the message, signatures and mutated copies).
    public func run<R: RandomNumberGenerator>(
        algorithm: JWSAlgorithm, mutations: Int, using rng: inout R, into totals: inout Totals
    ) throws(SignetKeyError) {
        guard key.publicKey.canVerify(algorithm) else {
            throw SignetKeyError(
                .wrongKeyType, reason: "\(key.publicKey.keyDescription) does not sign \(algorithm.jwsName)")
        }
        let length = Int.random(in: 0...900, using: &rng)
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let signature = try key.signature(for: message, algorithm: algorithm)
        check("valid", algorithm, message, signature, &totals)
        if let engineKey, let rsa = algorithm.rsa {
            do throws(SignetKeyError) {
                let engineSignature = try engineKey.signature(for: message, algorithm: rsa)
                compareEngineSignature(
                    engineSignature, openSSLSignature: signature, message: message, algorithm: algorithm,
                    into: &totals)
            } catch  where error.code == .engineFault {
                // The engine's verify-after-sign check refused the signature: a fault, recorded like a mismatch.
                totals.engineSignatures += 1
                totals.engineMismatches += 1
                totals.disagreements.append(
                    Disagreement(
                        kind: "engine fault: \(error.reason)", algorithm: algorithm, publicKeyJWK: publicKeyJWK,
                        message: message, signature: signature, openSSLVerdict: false, gmpVerdict: false,
                        engineSignature: [], engine: engineKey.engine))
            }
        }
        for i in 0..<mutations {
            let (kind, m, s, alg) = mutation(i, of: message, signature, algorithm, using: &rng)
            check(kind, alg, m, s, &totals)
        }
    }

    /// The `i`-th mutation of a valid (message, signature) pair: twelve kinds in turn, the family's own among them.
    func mutation<R: RandomNumberGenerator>(
        _ i: Int, of message: [UInt8], _ signature: [UInt8], _ algorithm: JWSAlgorithm, using rng: inout R
    ) -> (kind: String, message: [UInt8], signature: [UInt8], algorithm: JWSAlgorithm) {
        var m = message
        var s = signature
        let half = s.count / 2
        switch i % 12 {
        case 0, 1, 2, 3:
            let bit = Int.random(in: 0..<(s.count * 8), using: &rng)
            s[bit / 8] ^= 1 << UInt8(bit % 8)
            return ("signature bit flip", m, s, algorithm)
        case 4, 5:
            if m.isEmpty {
                m = [0]
            } else {
                let bit = Int.random(in: 0..<(m.count * 8), using: &rng)
                m[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            return ("message bit flip", m, s, algorithm)
        case 6:
            s.removeLast(Int.random(in: 1...8, using: &rng))
            return ("signature truncated", m, s, algorithm)
        case 7:
            s.append(UInt8.random(in: 0...255, using: &rng))
            return ("signature extended", m, s, algorithm)
        case 10:
            s = (0..<s.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            return ("random signature", m, s, algorithm)
        default: break
        }
        switch key {
        case .rsa(let k):
            let n = k.publicKey.modulus
            switch i % 12 {
            case 8:
                s.insert(0, at: 0)
                s.removeLast()
                return ("signature shifted", m, s, algorithm)
            case 9:
                let choice = Int.random(in: 0..<5, using: &rng)
                let values = [
                    [UInt8](repeating: 0, count: n.count), [UInt8](repeating: 0, count: n.count - 1) + [1],
                    Self.add(n, -1), n, Self.add(n, 1),
                ]
                let kinds = ["signature 0", "signature 1", "signature n-1", "signature n", "signature n+1"]
                return (kinds[choice], m, values[choice], algorithm)
            default:
                let other =
                    algorithms.filter { $0 != algorithm }.randomElement(using: &rng) ?? algorithm
                return ("other algorithm", m, s, other)
            }
        case .ec:
            let order = Self.order(of: algorithm) ?? []
            switch i % 12 {
            case 8:
                // (r, n − s): valid too; all must accept it.
                return ("malleated (r, n-s)", m, Array(s[..<half]) + Self.subtract(order, Array(s[half...])), algorithm)
            case 9:
                let choice = Int.random(in: 0..<4, using: &rng)
                let zero = [UInt8](repeating: 0, count: half)
                let values = [
                    zero + Array(s[half...]), Array(s[..<half]) + zero, order + Array(s[half...]),
                    Array(s[..<half]) + order,
                ]
                return (["r = 0", "s = 0", "r = n", "s = n"][choice], m, values[choice], algorithm)
            default:
                return ("DER instead of r||s", m, Self.der(r: Array(s[..<half]), s: Array(s[half...])), algorithm)
            }
        case .ed25519:
            switch i % 12 {
            case 8:
                // (R, S + L): S is no longer below L; all must reject it.
                return (
                    "malleated (R, S+L)", m, Array(s[..<32]) + Self.addLittleEndian(Array(s[32...]), Self.ed25519L),
                    algorithm
                )
            case 9:
                let choice = Int.random(in: 0..<3, using: &rng)
                let zero = [UInt8](repeating: 0, count: 32)
                let values = [zero + Array(s[32...]), Array(s[..<32]) + zero, Array(s[..<32]) + Self.ed25519L]
                return (["R = 0", "S = 0", "S = L"][choice], m, values[choice], algorithm)
            default:
                return ("R and S swapped", m, Array(s[32...]) + Array(s[..<32]), algorithm)
            }
        }
    }

    /// Compares one engine signature with OpenSSL EVP's signature of the same message and counts it in `totals`:
    /// identical bytes (PSS: OpenSSL's acceptance, the salt being random) and GMPVerifier's acceptance are both
    /// required. A failure is recorded in ``Totals/disagreements`` (kind `engine signature differs`, or `engine
    /// signature rejected by GMPVerifier` when the bytes match) with both signatures and both verifiers' verdicts
    /// on the engine's signature. ``run(algorithm:mutations:using:into:)`` calls this for every valid case of an
    /// engine campaign.
    func compareEngineSignature(
        _ engineSignature: [UInt8], openSSLSignature: [UInt8], message: [UInt8], algorithm: JWSAlgorithm,
        into totals: inout Totals
    ) {
        let openSSL = key.publicKey.isValidSignature(engineSignature, for: message, algorithm: algorithm)
        let identical = algorithm.rsa?.usesPSS == true ? openSSL : engineSignature == openSSLSignature
        let gmp = second(engineSignature, message, algorithm)
        totals.engineSignatures += 1
        if identical { totals.engineIdentical += 1 }
        if gmp { totals.engineVerifiedByGMP += 1 }
        guard !identical || !gmp else { return }
        totals.engineMismatches += 1
        totals.disagreements.append(
            Disagreement(
                kind: identical ? "engine signature rejected by GMPVerifier" : "engine signature differs",
                algorithm: algorithm, publicKeyJWK: publicKeyJWK, message: message, signature: openSSLSignature,
                openSSLVerdict: openSSL, gmpVerdict: gmp, engineSignature: engineSignature,
                engine: engineKey?.engine ?? key.rsa?.engine))
    }

    /// Checks one case with every verifier of the family and counts it.
    func check(_ kind: String, _ alg: JWSAlgorithm, _ m: [UInt8], _ s: [UInt8], _ totals: inout Totals) {
        let publicKey = key.publicKey
        // RSA verification already runs on libcrypto (or the engine, checked below): one verdict. EC and Ed25519
        // have Signet's own verifier and OpenSSL EVP's.
        let signet: Bool? = key.rsa == nil ? publicKey.isValidSignature(s, for: m, algorithm: alg) : nil
        let evp = publicKey.isValidSignatureOnOpenSSL(s, for: m, algorithm: alg)
        // An algorithm GMPVerifier cannot verify reads as its rejection, so the campaign reports every such case.
        let gmp = second(s, m, alg)
        totals.cases += 1
        if let engineKey, engineKey.publicKey.engine != .openSSL, let rsa = alg.rsa {
            let mine = engineKey.publicKey.isValidSignature(s, for: m, algorithm: rsa)
            totals.engineVerifications += 1
            if mine != evp {
                totals.engineMismatches += 1
                totals.disagreements.append(
                    Disagreement(
                        kind: "engine verify: \(kind)", algorithm: alg, publicKeyJWK: publicKeyJWK, message: m,
                        signature: s, openSSLVerdict: evp, gmpVerdict: gmp, engine: engineKey.publicKey.engine,
                        engineVerdict: mine))
            }
        }
        if evp != gmp || (signet.map { $0 != gmp } ?? false) {
            totals.disagreements.append(
                Disagreement(
                    kind: kind, algorithm: alg, publicKeyJWK: publicKeyJWK, message: m, signature: s,
                    signetVerdict: signet, openSSLVerdict: evp, gmpVerdict: gmp))
        } else if gmp {
            totals.allValid += 1
            if kind.hasPrefix("malleated") { totals.malleatedAccepted += 1 }
        } else {
            totals.allInvalid += 1
        }
    }
}

extension DifferentialCampaign {
    /// The group order n of an ES algorithm's curve (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1), big-endian at the
    /// coordinate width; `nil` for any other algorithm.
    static func order(of algorithm: JWSAlgorithm) -> [UInt8]? {
        switch algorithm {
        case .es256: bytes("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
        case .es384:
            bytes(
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973")
        case .es512:
            bytes(
                "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
                    + "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409")
        default: nil
        }
    }

    /// Ed25519's group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1), little-endian.
    static let ed25519L: [UInt8] = bytes("EDD3F55C1A631258D69CF7A2DEF9DE1400000000000000000000000000000010")

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v: UInt8 = c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "A") + 10
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    static func hex(_ b: [UInt8]) -> String {
        b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// Big-endian `a + delta` for delta = ±1, same length (wraps silently; only used on moduli).
    static func add(_ a: [UInt8], _ delta: Int) -> [UInt8] {
        var r = a
        var i = r.count - 1
        while i >= 0 {
            if delta > 0 {
                r[i] &+= 1
                if r[i] != 0 { break }
            } else {
                r[i] &-= 1
                if r[i] != 0xFF { break }
            }
            i -= 1
        }
        return r
    }

    /// Big-endian `a − b` for `b ≤ a`, same width.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var r = a
        var borrow = 0
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            let d = Int(a[i]) - Int(b[i]) - borrow
            r[i] = UInt8((d + 256) % 256)
            borrow = d < 0 ? 1 : 0
        }
        return r
    }

    /// Little-endian `a + b`, same width (the carry out of the top byte is dropped; S + L fits in 32 bytes).
    static func addLittleEndian(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var r = a
        var carry = 0
        for i in 0..<a.count {
            let t = Int(a[i]) + Int(b[i]) + carry
            r[i] = UInt8(t & 0xFF)
            carry = t >> 8
        }
        return r
    }

    /// The DER `ECDSA-Sig-Value` of (r, s) (SEC 1 §C.8), which JWS never uses on the wire.
    static func der(r: [UInt8], s: [UInt8]) -> [UInt8] {
        func length(_ n: Int) -> [UInt8] { n < 128 ? [UInt8(n)] : [0x81, UInt8(n)] }
        func integer(_ v: [UInt8]) -> [UInt8] {
            var body = Array(v.drop { $0 == 0 })
            if body.isEmpty || body[0] & 0x80 != 0 { body.insert(0, at: 0) }
            return [0x02] + length(body.count) + body
        }
        let content = integer(r) + integer(s)
        return [0x30] + length(content.count) + content
    }
}
