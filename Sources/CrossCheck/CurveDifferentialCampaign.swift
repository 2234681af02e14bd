// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
@_spi(Testing) import JWS
import SignetKeys

/// A randomized differential campaign for ES256/ES384/ES512 and EdDSA between three implementations: Signet's own
/// verification (SignetKeys on `CSignetEC`, the path a verifier uses), OpenSSL EVP and GMPVerifier's ECDSA and Ed25519 on
/// GMP: valid signatures and their mutations (bit flips in signature or signed bytes, truncations, extensions,
/// boundary scalars, DER instead of `r || s`, random bytes), each verified by all three.
///
/// ECDSA signatures are malleable: if (r, s) is valid so is (r, n − s), and JWS has no low-S rule (RFC 7518 §3.4),
/// so both verifiers must accept the malleated form; such cases are counted in ``Totals/malleatedAccepted``, not
/// as failures. For Ed25519 the malleated form (S + L) must be rejected by both (RFC 8032 §5.1.7 requires S < L).
public struct CurveDifferentialCampaign {
    /// One case where the implementations disagree, with everything needed to reproduce it.
    public struct Disagreement: Sendable, CustomStringConvertible {
        /// The mutation that produced the case.
        public let kind: String
        /// The algorithm.
        public let algorithm: JWSAlgorithm
        /// The public key as JWK members (`crv`, `x`, `y` or `crv`, `x`), JSON.
        public let publicKeyJWK: String
        /// The signed bytes.
        public let message: [UInt8]
        /// The signature.
        public let signature: [UInt8]
        /// Signet's own verdict (`CSignetEC`).
        public let signetVerdict: Bool
        /// OpenSSL's verdict.
        public let openSSLVerdict: Bool
        /// GMPVerifier's verdict.
        public let gmpVerdict: Bool

        /// A multi-line reproducer (hex).
        public var description: String {
            """
            disagreement (\(kind), \(algorithm)): Signet=\(signetVerdict) OpenSSL=\(openSSLVerdict) \
            GMPVerifier=\(gmpVerdict)
              key=\(publicKeyJWK)
              message=\(CurveDifferentialCampaign.hex(message))
              signature=\(CurveDifferentialCampaign.hex(signature))
            """
        }
    }

    /// Totals of a campaign.
    public struct Totals: Sendable {
        /// Cases run.
        public var cases = 0
        /// Cases all three said valid.
        public var bothValid = 0
        /// Cases all three said invalid.
        public var bothInvalid = 0
        /// ECDSA malleated signatures (r, n − s) of valid ones that every verifier accepted (also in
        /// ``bothValid``): expected, since JWS has no low-S rule.
        public var malleatedAccepted = 0
        /// Disagreements found.
        public var disagreements: [Disagreement] = []
        /// Empty totals.
        public init() {}

        /// Adds `other`'s counts to these and appends its disagreements.
        ///
        /// - Parameter other: The totals to add.
        /// - Allocation: only when `other` has disagreements (the array grows).
        public mutating func merge(_ other: Totals) {
            cases += other.cases
            bothValid += other.bothValid
            bothInvalid += other.bothInvalid
            malleatedAccepted += other.malleatedAccepted
            disagreements += other.disagreements
        }
    }

    /// Signs the valid cases.
    let key: JWSSigningKey
    /// The one algorithm the key signs.
    public let algorithm: JWSAlgorithm
    /// GMPVerifier's verdict on (signature, message, algorithm).
    let second: @Sendable ([UInt8], [UInt8], JWSAlgorithm) -> Bool

    /// A campaign over one EC or Ed25519 key, under the algorithm it signs (its curve's ES algorithm, or EdDSA).
    ///
    /// - Parameter key: An EC (P-256/384/521) or Ed25519 key; RSA keys go to ``DifferentialCampaign``.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key, or `gmp.encoding-mismatch` for an RSA key.
    /// - Allocation: allocates (GMPVerifier's copy of the public key).
    public init(key: JWSSigningKey) throws(GMPVerifierError) {
        guard key.rsa == nil else {
            throw GMPVerifierError(.encodingMismatch) { "RSA keys are cross-checked by DifferentialCampaign" }
        }
        let gmp = try GMPSecondOpinion(key: key.publicKey, algorithm: key.defaultAlgorithm)
        self.init(key: key, secondOpinion: { s, m, a in gmp.isValid(s, for: m, alg: a) })
    }

    /// A campaign whose second opinion is `secondOpinion` (tests use a corrupted one to see disagreements caught).
    init(key: JWSSigningKey, secondOpinion: @escaping @Sendable ([UInt8], [UInt8], JWSAlgorithm) -> Bool) {
        self.key = key
        self.algorithm = key.defaultAlgorithm
        self.second = secondOpinion
    }

    /// Signs one random message and runs it and `mutations` mutations of it through both verifiers.
    ///
    /// - Parameters:
    ///   - mutations: How many mutated cases to derive from the valid one (0: the valid case only).
    ///   - rng: The randomness (seeded in tests).
    ///   - totals: Accumulates the results.
    /// - Throws: `SignetKeyError` if OpenSSL signing fails.
    /// - Allocation: allocates (the message, signatures and mutated copies).
    public func run<R: RandomNumberGenerator>(
        mutations: Int, using rng: inout R, into totals: inout Totals
    ) throws(SignetKeyError) {
        let length = Int.random(in: 0...900, using: &rng)
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let signature = try key.signature(for: message, algorithm: algorithm)
        check("valid", message, signature, &totals)
        let half = signature.count / 2
        let order = Self.order(of: algorithm)
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
                if let order {
                    // (r, n − s): valid too; both must accept it.
                    s = Array(s[..<half]) + Self.subtract(order, Array(s[half...]))
                    kind = "malleated (r, n-s)"
                } else {
                    // Ed25519 (R, S + L): S is no longer below L; both must reject it.
                    s = Array(s[..<32]) + Self.addLittleEndian(Array(s[32...]), Self.ed25519L)
                    kind = "malleated (R, S+L)"
                }
            case 9:
                let choice = Int.random(in: 0..<4, using: &rng)
                let zero = [UInt8](repeating: 0, count: half)
                let boundary = order ?? Self.ed25519L
                switch choice {
                case 0: s = zero + Array(s[half...])
                case 1: s = Array(s[..<half]) + zero
                case 2: s = order.map { $0 + Array(s[half...]) } ?? (Array(s[..<half]) + boundary)
                default: s = Array(s[..<half]) + boundary
                }
                kind = ["first half 0", "second half 0", "r = n (EdDSA: S = L)", "s = n (EdDSA: S = L)"][choice]
            case 10:
                s = (0..<s.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                kind = "random signature"
            default:
                if order != nil {
                    s = Self.der(r: Array(s[..<half]), s: Array(s[half...]))
                    kind = "DER instead of r||s"
                } else {
                    s = Array(s[32...]) + Array(s[..<32])
                    kind = "R and S swapped"
                }
            }
            check(kind, m, s, &totals)
        }
    }

    func check(_ kind: String, _ m: [UInt8], _ s: [UInt8], _ totals: inout Totals) {
        let signet = key.publicKey.isValidSignature(s, for: m, algorithm: algorithm)
        let evp = key.publicKey.isValidSignatureOnOpenSSL(s, for: m, algorithm: algorithm)
        let gmp = second(s, m, algorithm)
        totals.cases += 1
        if signet != gmp || evp != gmp {
            let members = key.publicKey.jwkMembers.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",")
            totals.disagreements.append(
                Disagreement(
                    kind: kind, algorithm: algorithm, publicKeyJWK: "{\"kty\":\"\(key.publicKey.keyType)\",\(members)}",
                    message: m, signature: s, signetVerdict: signet, openSSLVerdict: evp, gmpVerdict: gmp))
        } else if gmp {
            totals.bothValid += 1
            if kind.hasPrefix("malleated") { totals.malleatedAccepted += 1 }
        } else {
            totals.bothInvalid += 1
        }
    }

    /// The group order n of an ES algorithm's curve (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1), big-endian at the
    /// coordinate width; `nil` for EdDSA.
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
