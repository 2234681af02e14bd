// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// A JWS signature algorithm (RFC 7518 §3, RFC 8037 §3.1): `RS256`…`RS512`, `PS256`…`PS512`, `ES256`…`ES512` or
/// `EdDSA` (Ed25519).
///
/// A closed set of named values: `none` and HMAC cannot be expressed, so no verifier can be asked to accept them.
/// Each algorithm belongs to one key family (``family``); a key of another family can never be bound to it.
public struct JWSAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The key family an algorithm signs with.
    public enum Family: Hashable, Sendable {
        /// RSA: PKCS#1 v1.5 or PSS, as the `RSASignatureAlgorithm` says.
        case rsa(RSASignatureAlgorithm)
        /// ECDSA on the curve JWA pairs with the algorithm.
        case ecdsa(ECCurve)
        /// EdDSA with Ed25519 (RFC 8037).
        case ed25519
    }

    /// The exact JOSE `alg` header value.
    public let jwsName: String
    /// The key family and its parameters.
    public let family: Family
    /// Position in ``all`` (bit masks of allowed algorithms).
    let index: Int

    private init(_ jwsName: String, _ family: Family, _ index: Int) {
        self.jwsName = jwsName
        self.family = family
        self.index = index
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = JWSAlgorithm("RS256", .rsa(.rs256), 0)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = JWSAlgorithm("RS384", .rsa(.rs384), 1)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = JWSAlgorithm("RS512", .rsa(.rs512), 2)
    /// RSASSA-PSS with SHA-256 (MGF1-SHA-256, 32-byte salt).
    public static let ps256 = JWSAlgorithm("PS256", .rsa(.ps256), 3)
    /// RSASSA-PSS with SHA-384 (MGF1-SHA-384, 48-byte salt).
    public static let ps384 = JWSAlgorithm("PS384", .rsa(.ps384), 4)
    /// RSASSA-PSS with SHA-512 (MGF1-SHA-512, 64-byte salt).
    public static let ps512 = JWSAlgorithm("PS512", .rsa(.ps512), 5)
    /// ECDSA on P-256 with SHA-256.
    public static let es256 = JWSAlgorithm("ES256", .ecdsa(.p256), 6)
    /// ECDSA on P-384 with SHA-384.
    public static let es384 = JWSAlgorithm("ES384", .ecdsa(.p384), 7)
    /// ECDSA on P-521 with SHA-512.
    public static let es512 = JWSAlgorithm("ES512", .ecdsa(.p521), 8)
    /// EdDSA with Ed25519 (RFC 8037).
    public static let edDSA = JWSAlgorithm("EdDSA", .ed25519, 9)

    /// Every supported algorithm.
    public static let all: [JWSAlgorithm] = [
        .rs256, .rs384, .rs512, .ps256, .ps384, .ps512, .es256, .es384, .es512, .edDSA,
    ]

    /// The algorithm whose JOSE name is exactly `name` (case-sensitive, as RFC 7515 requires), or `nil`.
    ///
    /// - Parameter name: A JOSE `alg` value.
    /// - Allocation: none.
    public init?(jwsName name: some StringProtocol) {
        guard let found = Self.all.first(where: { $0.jwsName == name }) else { return nil }
        self = found
    }

    /// The JWS form of an RSA algorithm.
    ///
    /// - Parameter rsa: The RSA algorithm.
    public init(_ rsa: RSASignatureAlgorithm) {
        self = Self.all[RSASignatureAlgorithm.all.firstIndex(of: rsa) ?? 0]
    }

    /// The ECDSA algorithm JWA pairs with `curve` (ES256 for P-256, ES384 for P-384, ES512 for P-521).
    ///
    /// - Parameter curve: The curve.
    public init(ecdsa curve: ECCurve) {
        self = curve == .p256 ? .es256 : curve == .p384 ? .es384 : .es512
    }

    /// The RSA algorithm, for the RS and PS families.
    public var rsa: RSASignatureAlgorithm? {
        if case .rsa(let a) = family { return a }
        return nil
    }

    /// The curve, for the ES family.
    public var curve: ECCurve? {
        if case .ecdsa(let c) = family { return c }
        return nil
    }

    /// The JOSE name.
    public var description: String { jwsName }

    /// Compares the JOSE name.
    public static func == (a: Self, b: Self) -> Bool { a.index == b.index }
    /// Hashes the JOSE name.
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}
