// SPDX-License-Identifier: Apache-2.0

/// An elliptic curve as JWA pairs it with ECDSA (RFC 7518 §3.4): P-256 signs ES256 (SHA-256), P-384 ES384
/// (SHA-384) and P-521 ES512 (SHA-512). A closed set: no other curve can be expressed.
public struct ECCurve: Hashable, Sendable, CustomStringConvertible {
    /// The JWK `crv` value, e.g. `P-256`.
    public let jwkName: String
    /// The JWS `alg` this curve signs, e.g. `ES256`.
    public let jwsAlgorithmName: String
    /// Bytes of one coordinate, and of each of `r` and `s` in a JWS signature (32, 48 or 66).
    public let coordinateByteCount: Int
    /// The hash, named by the RSA algorithm that uses the same one (only its digest is used).
    let digest: RSASignatureAlgorithm
    /// The names OpenSSL reports for the curve's group.
    let openSSLNames: Set<String>
    /// DER `SubjectPublicKeyInfo` up to the uncompressed point (`id-ecPublicKey`, the curve's OID, the BIT STRING
    /// header).
    let spkiPrefix: [UInt8]

    /// Bytes of a JWS signature, `r ‖ s` (RFC 7518 §3.4).
    public var signatureByteCount: Int { 2 * coordinateByteCount }

    /// NIST P-256 (secp256r1), for ES256.
    public static let p256 = ECCurve(
        jwkName: "P-256", jwsAlgorithmName: "ES256", coordinateByteCount: 32, digest: .rs256,
        openSSLNames: ["prime256v1", "P-256", "secp256r1"],
        spkiPrefix: [
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A, 0x86, 0x48,
            0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
        ])
    /// NIST P-384 (secp384r1), for ES384.
    public static let p384 = ECCurve(
        jwkName: "P-384", jwsAlgorithmName: "ES384", coordinateByteCount: 48, digest: .rs384,
        openSSLNames: ["secp384r1", "P-384"],
        spkiPrefix: [
            0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x05, 0x2B, 0x81, 0x04,
            0x00, 0x22, 0x03, 0x62, 0x00,
        ])
    /// NIST P-521 (secp521r1), for ES512.
    public static let p521 = ECCurve(
        jwkName: "P-521", jwsAlgorithmName: "ES512", coordinateByteCount: 66, digest: .rs512,
        openSSLNames: ["secp521r1", "P-521"],
        spkiPrefix: [
            0x30, 0x81, 0x9B, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x05, 0x2B, 0x81,
            0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00,
        ])

    /// Every supported curve.
    public static let all: [ECCurve] = [.p256, .p384, .p521]

    /// The curve whose JWK `crv` is exactly `name` (`P-256`, `P-384`, `P-521`), or `nil`.
    ///
    /// - Parameter name: A JWK `crv` value.
    /// - Allocation: none.
    public init?(jwkName name: some StringProtocol) {
        switch name {
        case "P-256": self = .p256
        case "P-384": self = .p384
        case "P-521": self = .p521
        default: return nil
        }
    }

    /// The curve OpenSSL names `name`, or `nil`.
    init?(openSSLName name: String) {
        guard let curve = Self.all.first(where: { $0.openSSLNames.contains(name) }) else { return nil }
        self = curve
    }

    private init(
        jwkName: String, jwsAlgorithmName: String, coordinateByteCount: Int, digest: RSASignatureAlgorithm,
        openSSLNames: Set<String>, spkiPrefix: [UInt8]
    ) {
        self.jwkName = jwkName
        self.jwsAlgorithmName = jwsAlgorithmName
        self.coordinateByteCount = coordinateByteCount
        self.digest = digest
        self.openSSLNames = openSSLNames
        self.spkiPrefix = spkiPrefix
    }

    /// The JWK name.
    public var description: String { jwkName }

    /// Compares the JWK name.
    public static func == (a: Self, b: Self) -> Bool { a.jwkName == b.jwkName }
    /// Hashes the JWK name.
    public func hash(into hasher: inout Hasher) { hasher.combine(jwkName) }
}
