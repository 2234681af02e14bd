// SPDX-License-Identifier: Apache-2.0

/// An RSASSA-PKCS1-v1_5 signature algorithm as named by JWA (RFC 7518 §3.3): the hash function and its DER
/// `DigestInfo` prefix.
///
/// A closed set of named values: ``rs256``, ``rs384`` and ``rs512``. There is no SHA-1 and no "none".
public struct RSAGMPAlgorithm: Hashable, Sendable, CustomStringConvertible {
    enum Hash: Hashable, Sendable { case sha256, sha384, sha512 }

    /// The JWS `alg` value: `RS256`, `RS384` or `RS512`.
    public let jwsName: String
    let hash: Hash

    /// RSASSA-PKCS1-v1_5 with SHA-256.
    public static let rs256 = RSAGMPAlgorithm(jwsName: "RS256", hash: .sha256)
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    public static let rs384 = RSAGMPAlgorithm(jwsName: "RS384", hash: .sha384)
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    public static let rs512 = RSAGMPAlgorithm(jwsName: "RS512", hash: .sha512)

    /// Every supported algorithm.
    public static let all: [RSAGMPAlgorithm] = [.rs256, .rs384, .rs512]

    private init(jwsName: String, hash: Hash) {
        self.jwsName = jwsName
        self.hash = hash
    }

    /// Looks an algorithm up by its exact JWS `alg` value (case-sensitive).
    /// - Parameter jwsName: `RS256`, `RS384` or `RS512`.
    /// - Returns: The algorithm, or `nil` for any other text.
    ///
    /// Allocation: none.
    public init?(jwsName: String) {
        switch jwsName {
        case "RS256": self = .rs256
        case "RS384": self = .rs384
        case "RS512": self = .rs512
        default: return nil
        }
    }

    /// The digest length in bytes: 32, 48 or 64.
    public var digestByteCount: Int {
        switch hash {
        case .sha256: SHA256.byteCount
        case .sha384: SHA384.byteCount
        case .sha512: SHA512.byteCount
        }
    }

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
