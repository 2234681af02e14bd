// SPDX-License-Identifier: Apache-2.0

/// The members of an RSA JSON Web Key (RFC 7518 §6.3), as the unpadded base64url strings found in the JSON.
///
/// JSON parsing lives above this module (`JWS`'s `JWK` type reads a document strictly and fills this in); keys are
/// built from these components with ``RSAPublicKey/init(jwk:)`` and ``RSAPrivateKey/init(jwk:)``.
public struct RSAJWKComponents: Sendable, Equatable {
    /// Modulus (`n`), big-endian, base64url.
    public var n: String
    /// Public exponent (`e`).
    public var e: String
    /// Private exponent (`d`), only in private JWKs.
    public var d: String?
    /// First prime factor (`p`).
    public var p: String?
    /// Second prime factor (`q`).
    public var q: String?
    /// First factor CRT exponent (`dp`).
    public var dp: String?
    /// Second factor CRT exponent (`dq`).
    public var dq: String?
    /// First CRT coefficient (`qi`).
    public var qi: String?

    /// Creates components; pass only `n` and `e` for a public key.
    public init(
        n: String, e: String, d: String? = nil, p: String? = nil, q: String? = nil, dp: String? = nil,
        dq: String? = nil, qi: String? = nil
    ) {
        self.n = n
        self.e = e
        self.d = d
        self.p = p
        self.q = q
        self.dp = dp
        self.dq = dq
        self.qi = qi
    }

    /// True when any private member is present.
    public var hasPrivateMembers: Bool { d != nil || p != nil || q != nil || dp != nil || dq != nil || qi != nil }
}
