// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: the curves also exist on the OpenSSL path, and GMPVerifier shares no code with it, so that
// its verdicts are a real second opinion (see the GMPVerifier module overview).

/// A NIST prime curve for ECDSA: P-256, P-384 or P-521 (FIPS 186-5 §6, curve parameters from NIST SP 800-186
/// §3.2.1).
///
/// Each is y² = x³ − 3x + b over GF(p), with a base point G of prime order n and cofactor 1, so every point of the
/// curve other than the point at infinity generates the whole group.
public enum GMPCurve: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// P-256 (secp256r1, prime256v1); JWS `ES256`.
    case p256
    /// P-384 (secp384r1); JWS `ES384`.
    case p384
    /// P-521 (secp521r1); JWS `ES512`.
    case p521

    /// The JWK `crv` name (RFC 7518 §6.2.1.1): `P-256`, `P-384` or `P-521`.
    public var jwkName: String {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        }
    }

    /// The JWK name, for example `P-256`.
    public var description: String { jwkName }

    /// Looks a curve up by its JWK `crv` name (case-sensitive).
    /// - Parameter jwkName: `P-256`, `P-384` or `P-521`.
    /// - Returns: The curve, or `nil` for any other text.
    public init?(jwkName: String) {
        switch jwkName {
        case "P-256": self = .p256
        case "P-384": self = .p384
        case "P-521": self = .p521
        default: return nil
        }
    }

    /// The length of one coordinate (and of r and of s) in bytes: 32, 48 or 66.
    public var coordinateByteCount: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }

    /// The length of a JWS signature `r || s` in bytes (RFC 7518 §3.4): 64, 96 or 132.
    public var signatureByteCount: Int { 2 * coordinateByteCount }

    /// The hash JWA pairs with the curve (RFC 7518 §3.4): SHA-256, SHA-384 or SHA-512.
    public var jwsHash: GMPHash {
        switch self {
        case .p256: .sha256
        case .p384: .sha384
        case .p521: .sha512
        }
    }

    /// The curve's domain parameters and arithmetic.
    var parameters: WeierstrassCurve {
        switch self {
        case .p256: WeierstrassCurve.p256
        case .p384: WeierstrassCurve.p384
        case .p521: WeierstrassCurve.p521
        }
    }

    /// The DER of the `namedCurve` OBJECT IDENTIFIER (RFC 5480 §2.1.1.1), tag and length included.
    var oidDER: [UInt8] {
        switch self {
        // 1.2.840.10045.3.1.7
        case .p256: [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        // 1.3.132.0.34
        case .p384: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
        // 1.3.132.0.35
        case .p521: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23]
        }
    }
}

/// The domain parameters of a short Weierstrass curve y² = x³ + ax + b with a = −3 (all three NIST curves), and
/// the point arithmetic ECDSA verification needs.
final class WeierstrassCurve: Sendable {
    /// Arithmetic modulo the field prime p.
    let field: PrimeField
    /// Arithmetic modulo the group order n.
    let order: PrimeField
    /// The coefficient b.
    let b: MPZ
    /// The base point G.
    let gx: MPZ
    let gy: MPZ
    /// The coordinate length in bytes.
    let byteCount: Int

    init(
        p: String, b: String, gx: String, gy: String, n: String, byteCount: Int,
        reduction: PrimeField.Reduction? = nil
    ) {
        let prime = MPZ(hex: p)
        self.field = reduction.map { PrimeField(prime, reduction: $0) } ?? PrimeField(prime)
        self.order = PrimeField(MPZ(hex: n))
        self.b = MPZ(hex: b)
        self.gx = MPZ(hex: gx)
        self.gy = MPZ(hex: gy)
        self.byteCount = byteCount
    }

    /// NIST SP 800-186 §3.2.1.3 (P-256).
    static let p256 = WeierstrassCurve(
        p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        gx: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        gy: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        byteCount: 32, reduction: .p256)

    /// NIST SP 800-186 §3.2.1.4 (P-384).
    static let p384 = WeierstrassCurve(
        p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        gx: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        gy: "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
        n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        byteCount: 48)

    /// NIST SP 800-186 §3.2.1.5 (P-521); p = 2^521 − 1.
    static let p521 = WeierstrassCurve(
        p: "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        b: "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e"
            + "156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
        gx: "c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
            + "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
        gy: "11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e66"
            + "2c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
        n: "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa"
            + "51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        byteCount: 66, reduction: .mersenne(k: 521))

    /// Whether the affine point (x, y) with 0 ≤ x, y < p satisfies y² = x³ − 3x + b (SEC 1 §3.2.2.1 step 3).
    func isOnCurve(x: MPZ, y: MPZ) -> Bool {
        let f = FieldArithmetic(field)
        let lhs = f.register()
        let rhs = f.register()
        let t = f.register()
        f.square(lhs, y)
        f.square(rhs, x)
        f.mul(rhs, rhs, x)  // x³
        f.mul(t, x, small: 3)
        f.sub(rhs, rhs, t)  // x³ − 3x
        f.add(rhs, rhs, b)
        return f.equal(lhs, rhs)
    }
}
