// SPDX-License-Identifier: Apache-2.0
import CryptoEVP
import RSAGMP

/// A randomized differential campaign between CryptoEVP (OpenSSL) and RSAGMP: valid signatures and their mutations
/// (bit flips in signature or signed bytes, truncations, extensions, and the boundary values 0, 1, n−1, n, n+1),
/// each verified by both. Used by `signet cross-check` and by the test suite (with a fixed seed and fixed keys).
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
        /// RSAGMP's verdict.
        public let gmpVerdict: Bool

        /// A multi-line reproducer (hex).
        public var description: String {
            func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
            return """
                disagreement (\(kind), \(algorithm)): OpenSSL=\(openSSLVerdict) RSAGMP=\(gmpVerdict)
                  n=\(hex(modulus))
                  e=\(hex(exponent))
                  message=\(hex(message))
                  signature=\(hex(signature))
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
        /// Disagreements found.
        public var disagreements: [Disagreement] = []
        /// Empty totals.
        public init() {}
    }

    let key: RSAPrivateKey
    let gmpKey: RSAGMPPublicKey

    /// A campaign over one key.
    ///
    /// - Throws: ``RSAGMPError`` if RSAGMP refuses the key.
    public init(key: RSAPrivateKey) throws(RSAGMPError) {
        self.key = key
        self.gmpKey = try RSAGMPPublicKey(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent)
    }

    /// Signs one random message and runs it and `mutations` mutations of it through both verifiers.
    ///
    /// - Parameters:
    ///   - algorithm: The algorithm.
    ///   - mutations: How many mutated cases to derive from the valid one.
    ///   - rng: The randomness (seeded in tests).
    ///   - totals: Accumulates the results.
    /// - Throws: ``CryptoEVPError`` if signing fails.
    public func run<R: RandomNumberGenerator>(
        algorithm: RSASignatureAlgorithm, mutations: Int, using rng: inout R, into totals: inout Totals
    ) throws(CryptoEVPError) {
        let length = Int.random(in: 0...900, using: &rng)
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let signature = try key.signature(for: message, algorithm: algorithm)
        check("valid", algorithm, message, signature, &totals)
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
                if m.isEmpty { m = [0] } else {
                    let bit = Int.random(in: 0..<(m.count * 8), using: &rng)
                    m[bit / 8] ^= 1 << UInt8(bit % 8)
                }
                kind = "message bit flip"
            case 6: s.removeLast(Int.random(in: 1...8, using: &rng)); kind = "signature truncated"
            case 7: s.append(UInt8.random(in: 0...255, using: &rng)); kind = "signature extended"
            case 8: s.insert(0, at: 0); s.removeLast(); kind = "signature shifted"
            case 9:
                let choice = Int.random(in: 0..<5, using: &rng)
                s = [[UInt8](repeating: 0, count: n.count), [UInt8](repeating: 0, count: n.count - 1) + [1],
                     Self.add(n, -1), n, Self.add(n, 1)][choice]
                kind = ["signature 0", "signature 1", "signature n-1", "signature n", "signature n+1"][choice]
            case 10:
                s = (0..<s.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                kind = "random signature"
            default:
                let other = RSASignatureAlgorithm.all.filter { $0 != algorithm }.randomElement(using: &rng) ?? .rs256
                check("other algorithm", other, m, s, &totals)
                continue
            }
            check(kind, algorithm, m, s, &totals)
        }
    }

    func check(_ kind: String, _ alg: RSASignatureAlgorithm, _ m: [UInt8], _ s: [UInt8], _ totals: inout Totals) {
        let evp = key.publicKey.isValidSignature(s, for: m, algorithm: alg)
        let gmp = gmpKey.isValidSignature(s, for: m, algorithm: alg.gmp)
        totals.cases += 1
        if evp != gmp {
            totals.disagreements.append(Disagreement(
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
            while i >= 0 { r[i] &+= 1; if r[i] != 0 { break }; i -= 1 }
        } else {
            while i >= 0 { r[i] &-= 1; if r[i] != 0xFF { break }; i -= 1 }
        }
        return r
    }
}
