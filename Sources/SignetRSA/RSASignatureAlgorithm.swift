// SPDX-License-Identifier: Apache-2.0

/// An RSASSA-PKCS1-v1_5 signature algorithm as named by JWA (RFC 7518 §3.3).
///
/// A closed set of named values: `none`, HMAC and every other family cannot be expressed with this type, so a key
/// can never be asked to "verify" with them.
public struct RSASignatureAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The exact JOSE `alg` header value, e.g. `RS256`.
    public let jwsName: String
    /// The digest's byte count (32, 48 or 64).
    public let digestByteCount: Int
    /// Index into per-algorithm tables (0, 1, 2).
    @usableFromInline let index: Int
    /// OpenSSL's digest name.
    let digestName: String

    private init(jwsName: String, digestName: String, digestByteCount: Int, index: Int) {
        self.jwsName = jwsName
        self.digestName = digestName
        self.digestByteCount = digestByteCount
        self.index = index
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = Self(jwsName: "RS256", digestName: "SHA256", digestByteCount: 32, index: 0)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = Self(jwsName: "RS384", digestName: "SHA384", digestByteCount: 48, index: 1)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = Self(jwsName: "RS512", digestName: "SHA512", digestByteCount: 64, index: 2)

    /// Every supported algorithm.
    public static let all: [RSASignatureAlgorithm] = [.rs256, .rs384, .rs512]

    /// The algorithm whose JOSE name is exactly `name` (case-sensitive, as RFC 7515 requires), or `nil`.
    ///
    /// - Parameter name: A JOSE `alg` value.
    /// - Allocation: none.
    public init?(jwsName name: some StringProtocol) {
        switch name {
        case "RS256": self = .rs256
        case "RS384": self = .rs384
        case "RS512": self = .rs512
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
