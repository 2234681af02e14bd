// SPDX-License-Identifier: Apache-2.0

@_spi(Testing) import SignetKeys
import TestSupport
import Testing

/// Signet's own ECDSA and Ed25519 verification (`CSignetEC`) against OpenSSL's, case by case: valid signatures,
/// their malleated forms, boundary scalars and random mutations get the same verdict from both (the Wycheproof
/// vectors, in ``ECAndEd25519Tests``, hold both to the expected verdicts).
@Suite struct OwnCurveVerifierTests {
    /// The group orders n (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1), big-endian at the coordinate width.
    static let orders: [Int: [UInt8]] = [
        32: Hex.decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551") ?? [],
        48: Hex.decode(
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973") ?? [],
        66: Hex.decode(
            "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d0"
                + "3bb5c9b8899c47aebb6fb71e91386409") ?? [],
    ]

    /// a − b for big-endian numbers of one width, a ≥ b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = a
        var borrow = 0
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            let d = Int(a[i]) - Int(b[i]) - borrow
            out[i] = UInt8((d + 256) % 256)
            borrow = d < 0 ? 1 : 0
        }
        return out
    }

    @Test(arguments: ECCurve.all)
    func ecdsaVerdictsMatchOpenSSL(curve: ECCurve) throws {
        var rng = SplitMix64(seed: 0x5EC1 &+ UInt64(curve.coordinateByteCount))
        let width = curve.coordinateByteCount
        let n = try #require(Self.orders[width])
        #expect(n.count == width)
        var accepted = 0
        var cases = 0
        for _ in 0..<3 {
            let key = try ECPrivateKey.generate(curve: curve)
            let pub = key.publicKey
            for round in 0..<12 {
                let message = (0..<(1 + round * 7)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let signature = try key.signature(for: message)
                let r = Array(signature[..<width])
                let s = Array(signature[width...])
                let one = [UInt8](repeating: 0, count: width - 1) + [1]
                let zero = [UInt8](repeating: 0, count: width)
                var flipped = signature
                flipped[Int.random(in: 0..<flipped.count, using: &rng)] ^= UInt8(
                    1 << Int.random(in: 0..<8, using: &rng))
                var otherMessage = message
                otherMessage.append(UInt8(round))
                let variants: [(String, [UInt8], [UInt8], Bool)] = [
                    ("valid", signature, message, true),
                    ("malleated (r, n - s)", r + Self.subtract(n, s), message, true),
                    ("bit flip", flipped, message, false),
                    ("other message", signature, otherMessage, false),
                    ("r = 0", zero + s, message, false),
                    ("s = 0", r + zero, message, false),
                    ("r = n", n + s, message, false),
                    ("s = n", r + n, message, false),
                    ("r = n - 1", Self.subtract(n, one) + s, message, false),
                    ("s = 1", r + one, message, false),
                    ("truncated", Array(signature.dropLast()), message, false),
                    (
                        "random", (0..<signature.count).map { _ in UInt8.random(in: 0...255, using: &rng) }, message,
                        false
                    ),
                ]
                for (kind, sig, msg, expected) in variants {
                    let own = pub.isValidSignature(sig, for: msg)
                    let openSSL = pub.isValidSignatureOnOpenSSL(sig, for: msg)
                    #expect(own == openSSL, "\(curve) \(kind): Signet \(own), OpenSSL \(openSSL)")
                    #expect(own == expected, "\(curve) \(kind)")
                    cases += 1
                    if own { accepted += 1 }
                }
            }
        }
        #expect(cases == 3 * 12 * 12)
        #expect(accepted == 3 * 12 * 2, "exactly the valid and the malleated signatures are accepted")
    }

    @Test func ed25519VerdictsMatchOpenSSL() throws {
        var rng = SplitMix64(seed: 0xED25519)
        // L, little-endian (RFC 8032 §5.1).
        let order = try #require(Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"))
        for _ in 0..<3 {
            let key = try Ed25519PrivateKey.generate()
            let pub = key.publicKey
            for round in 0..<20 {
                let message = (0..<(round * 11)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let signature = try key.signature(for: message)
                var flipped = signature
                flipped[Int.random(in: 0..<64, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                // S + L: the same point equation, rejected because S must be below L.
                var plusL = Array(signature[..<32])
                var carry = 0
                for i in 0..<32 {
                    let v = Int(signature[32 + i]) + Int(order[i]) + carry
                    plusL.append(UInt8(v & 0xFF))
                    carry = v >> 8
                }
                let variants: [(String, [UInt8], [UInt8], Bool)] = [
                    ("valid", signature, message, true),
                    ("bit flip", flipped, message, false),
                    ("other message", signature, message + [1], false),
                    ("S + L", plusL, message, false),
                    ("S = L", Array(signature[..<32]) + order, message, false),
                    ("R and S swapped", Array(signature[32...]) + Array(signature[..<32]), message, false),
                    ("random", (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }, message, false),
                ]
                for (kind, sig, msg, expected) in variants {
                    let own = pub.isValidSignature(sig, for: msg)
                    #expect(own == pub.isValidSignatureOnOpenSSL(sig, for: msg), "Ed25519 \(kind)")
                    #expect(own == expected, "Ed25519 \(kind)")
                }
            }
        }
    }

    /// A public key whose y is not below p loads (OpenSSL takes any 32 bytes) but verifies nothing on Signet's
    /// path: RFC 8032 §5.1.3 fails its decoding.
    @Test func nonCanonicalEd25519KeyVerifiesNothing() throws {
        // y = p + 1 (≡ 1: the neutral element's y), sign bit clear.
        var raw = try #require(Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
        let key = try Ed25519PublicKey(rawRepresentation: raw)
        // With A the neutral element, R = [S]B verifies for any message under the cofactorless equation.
        let signer = try Ed25519PrivateKey.generate()
        let signature = try signer.signature(for: [1, 2, 3])
        #expect(!key.isValidSignature(signature, for: [1, 2, 3]))
        raw[0] = 0x01  // the canonical encoding of the same point: loads and is a valid (if useless) key
        let canonical = try Ed25519PublicKey(rawRepresentation: raw)
        #expect(!canonical.isValidSignature(signature, for: [1, 2, 3]))
    }
}
