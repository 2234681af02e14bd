// SPDX-License-Identifier: Apache-2.0

/// An RSA signature algorithm as named by JWA: RSASSA-PKCS1-v1_5 (`RS256`/`RS384`/`RS512`, RFC 7518 §3.3) or
/// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (`PS256`/`PS384`/`PS512`, §3.5).
///
/// A closed set of named values: `none`, HMAC and every other family cannot be expressed with this type, so an RSA
/// key can never be asked to "verify" with them.
public struct RSASignatureAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The exact JOSE `alg` header value, e.g. `RS256`.
    public let jwsName: String
    /// The digest's byte count (32, 48 or 64); for PSS also the salt length.
    public let digestByteCount: Int
    /// Index into per-algorithm tables (0…5: RS256, RS384, RS512, PS256, PS384, PS512).
    @usableFromInline let index: Int
    /// OpenSSL's digest name.
    let digestName: String

    private init(jwsName: String, digestName: String, digestByteCount: Int, index: Int) {
        self.jwsName = jwsName
        self.digestName = digestName
        self.digestByteCount = digestByteCount
        self.index = index
    }

    /// Whether the padding is RSASSA-PSS (else RSASSA-PKCS1-v1_5).
    public var usesPSS: Bool { index >= 3 }

    /// Index of the hash (0 SHA-256, 1 SHA-384, 2 SHA-512) into per-digest tables.
    var digestIndex: Int { index % 3 }

    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = Self(jwsName: "RS256", digestName: "SHA256", digestByteCount: 32, index: 0)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = Self(jwsName: "RS384", digestName: "SHA384", digestByteCount: 48, index: 1)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = Self(jwsName: "RS512", digestName: "SHA512", digestByteCount: 64, index: 2)
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    public static let ps256 = Self(jwsName: "PS256", digestName: "SHA256", digestByteCount: 32, index: 3)
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt.
    public static let ps384 = Self(jwsName: "PS384", digestName: "SHA384", digestByteCount: 48, index: 4)
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt.
    public static let ps512 = Self(jwsName: "PS512", digestName: "SHA512", digestByteCount: 64, index: 5)

    /// Every supported algorithm: the PKCS#1 v1.5 ones, then the PSS ones.
    public static let all: [RSASignatureAlgorithm] = [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]

    /// The RSASSA-PKCS1-v1_5 algorithms (deterministic signatures).
    public static let pkcs1v15: [RSASignatureAlgorithm] = [.rs256, .rs384, .rs512]

    /// The RSASSA-PSS algorithms (randomised signatures).
    public static let pss: [RSASignatureAlgorithm] = [.ps256, .ps384, .ps512]

    /// The algorithm whose JOSE name is exactly `name` (case-sensitive, as RFC 7515 requires), or `nil`.
    ///
    /// - Parameter name: A JOSE `alg` value.
    /// - Allocation: none.
    public init?(jwsName name: some StringProtocol) {
        switch name {
        case "RS256": self = .rs256
        case "RS384": self = .rs384
        case "RS512": self = .rs512
        case "PS256": self = .ps256
        case "PS384": self = .ps384
        case "PS512": self = .ps512
        default: return nil
        }
    }

    /// The JOSE name.
    public var description: String { jwsName }

    /// Compares the JOSE name.
    public static func == (a: Self, b: Self) -> Bool { a.index == b.index }
    /// Hashes the JOSE name.
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}
