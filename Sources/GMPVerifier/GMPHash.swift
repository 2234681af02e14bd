// SPDX-License-Identifier: Apache-2.0

/// A SHA-2 hash function, computed by this module's own SHA-2 (FIPS 180-4).
///
/// Used to name the message hash of an ECDSA verification and the hash (and MGF1 hash) of an RSASSA-PSS verification.
public enum GMPHash: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// SHA-256 (32-byte digest).
    case sha256
    /// SHA-384 (48-byte digest).
    case sha384
    /// SHA-512 (64-byte digest).
    case sha512

    /// The digest length in bytes: 32, 48 or 64.
    public var digestByteCount: Int {
        switch self {
        case .sha256: SHA256.byteCount
        case .sha384: SHA384.byteCount
        case .sha512: SHA512.byteCount
        }
    }

    /// `SHA-256`, `SHA-384` or `SHA-512`.
    public var description: String {
        switch self {
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }

    /// The digest of the concatenation of `parts`.
    func digest(_ parts: [UInt8]...) -> [UInt8] {
        switch self {
        case .sha256:
            var h = SHA256()
            for part in parts { h.update(part) }
            return h.finalize()
        case .sha384:
            var h = SHA384()
            for part in parts { h.update(part) }
            return h.finalize()
        case .sha512:
            var h = SHA512()
            for part in parts { h.update(part) }
            return h.finalize()
        }
    }

    /// The digest of the bytes of a raw buffer (a message handed over by a caller).
    func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        switch self {
        case .sha256: unsafe SHA256.hash(message)
        case .sha384: unsafe SHA384.hash(message)
        case .sha512: unsafe SHA512.hash(message)
        }
    }
}
