// SPDX-License-Identifier: Apache-2.0

/// An RSA signature algorithm as named by JWA: RSASSA-PKCS1-v1_5 (RFC 7518 §3.3) or RSASSA-PSS with MGF1 using the
/// same hash and a salt as long as the hash (RFC 7518 §3.5).
///
/// A closed set of named values: ``rs256``, ``rs384``, ``rs512``, ``ps256``, ``ps384`` and ``ps512``. There is no
/// SHA-1 and no "none". For PSS with another salt length, see
/// ``GMPRSAPublicKey/verifyPSS(_:for:hash:saltLength:)``.
public struct GMPRSAAlgorithm: Hashable, Sendable, CustomStringConvertible {
    typealias Hash = GMPHash

    /// The signature scheme's encoding method.
    public enum Padding: Hashable, Sendable {
        /// EMSA-PKCS1-v1_5 (RFC 8017 §9.2).
        case pkcs1v15
        /// EMSA-PSS (RFC 8017 §9.1) with MGF1 on the same hash and sLen = hLen.
        case pss
    }

    /// The JWS `alg` value: `RS256`, `RS384`, `RS512`, `PS256`, `PS384` or `PS512`.
    public let jwsName: String
    /// The hash function (for PSS also the MGF1 hash).
    public let hash: GMPHash
    /// The encoding method.
    public let padding: Padding

    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = GMPRSAAlgorithm(jwsName: "RS256", hash: .sha256, padding: .pkcs1v15)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = GMPRSAAlgorithm(jwsName: "RS384", hash: .sha384, padding: .pkcs1v15)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = GMPRSAAlgorithm(jwsName: "RS512", hash: .sha512, padding: .pkcs1v15)
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    public static let ps256 = GMPRSAAlgorithm(jwsName: "PS256", hash: .sha256, padding: .pss)
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt.
    public static let ps384 = GMPRSAAlgorithm(jwsName: "PS384", hash: .sha384, padding: .pss)
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt.
    public static let ps512 = GMPRSAAlgorithm(jwsName: "PS512", hash: .sha512, padding: .pss)

    /// The RSASSA-PKCS1-v1_5 algorithms: ``rs256``, ``rs384``, ``rs512``.
    public static let pkcs1v15Algorithms: [GMPRSAAlgorithm] = [.rs256, .rs384, .rs512]
    /// The RSASSA-PSS algorithms: ``ps256``, ``ps384``, ``ps512``.
    public static let pssAlgorithms: [GMPRSAAlgorithm] = [.ps256, .ps384, .ps512]
    /// Every supported algorithm, PKCS#1 v1.5 first.
    public static let all: [GMPRSAAlgorithm] = pkcs1v15Algorithms + pssAlgorithms

    private init(jwsName: String, hash: GMPHash, padding: Padding) {
        self.jwsName = jwsName
        self.hash = hash
        self.padding = padding
    }

    /// Looks an algorithm up by its exact JWS `alg` value (case-sensitive).
    /// - Parameter jwsName: `RS256`, `RS384`, `RS512`, `PS256`, `PS384` or `PS512`.
    /// - Returns: The algorithm, or `nil` for any other text.
    ///
    /// Allocation: none.
    public init?(jwsName: String) {
        switch jwsName {
        case "RS256": self = .rs256
        case "RS384": self = .rs384
        case "RS512": self = .rs512
        case "PS256": self = .ps256
        case "PS384": self = .ps384
        case "PS512": self = .ps512
        default: return nil
        }
    }

    /// The digest length in bytes: 32, 48 or 64.
    public var digestByteCount: Int { hash.digestByteCount }

    /// The JWS name, for example `RS256`.
    public var description: String { jwsName }

    /// Hashes `message` and stores the digest (``digestByteCount`` bytes) at `out`.
    func digest(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
        switch hash {
        case .sha256:
            var h = SHA256()
            unsafe h.update(message)
            unsafe h.finish(into: out)
        case .sha384:
            var h = SHA512Core(iv: SHA512Core.sha384IV)
            unsafe h.update(message)
            unsafe h.finish(into: out, byteCount: SHA384.byteCount)
        case .sha512:
            var h = SHA512Core(iv: SHA512Core.sha512IV)
            unsafe h.update(message)
            unsafe h.finish(into: out, byteCount: SHA512.byteCount)
        }
    }
}
