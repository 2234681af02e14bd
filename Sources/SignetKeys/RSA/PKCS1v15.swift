// SPDX-License-Identifier: Apache-2.0

/// The RSASSA-PKCS1-v1_5 encoding `EM = 0x00 ‖ 0x01 ‖ PS (0xFF…, ≥ 8 bytes) ‖ 0x00 ‖ DigestInfo ‖ H`
/// (RFC 8017 §9.2), checked by comparison with the one expected encoding: the DER DigestInfo with its explicit
/// NULL parameters, so the "MissingNull" and every other alternative encoding are rejected.
enum PKCS1v15 {
    /// DER `DigestInfo` headers (everything before the hash), indexed by ``RSASignatureAlgorithm/digestIndex``.
    static let digestInfoPrefixes: [[UInt8]] = [
        [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
            0x20,
        ],
        [
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04,
            0x30,
        ],
        [
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
            0x40,
        ],
    ]

    /// Calls `body(i, byte)` for every position `i` of a `k`-byte encoding of `digest` with the byte expected there,
    /// in order: the one definition of the layout that both ``encode(_:algorithm:into:)`` and
    /// ``isEncoding(_:of:algorithm:)`` use. `false` (and no call) when `k < tLen + 11` or the digest length is wrong.
    @inline(__always)
    private static func forEachByte(
        k: Int, digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, _ body: (Int, UInt8) -> Void
    ) -> Bool {
        let prefix = digestInfoPrefixes[algorithm.digestIndex]
        let tLen = prefix.count + digest.count
        guard digest.count == algorithm.digestByteCount, k >= tLen + 11 else { return false }
        let separator = k - tLen - 1
        body(0, 0x00)
        body(1, 0x01)
        for i in 2..<separator { body(i, 0xFF) }
        body(separator, 0x00)
        for i in 0..<prefix.count { body(separator + 1 + i, prefix[i]) }
        let hashStart = k - digest.count
        for i in 0..<digest.count { body(hashStart + i, unsafe digest[i]) }
        return true
    }

    /// Writes the encoding of `digest` for `algorithm` into all of `em` (its length is the modulus length `k`);
    /// `false` when `em` is too short for it (k < tLen + 11) or the digest has the wrong length.
    static func encode(
        _ digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, into em: UnsafeMutableRawBufferPointer
    ) -> Bool {
        unsafe forEachByte(k: em.count, digest: digest, algorithm: algorithm) { i, byte in unsafe em[i] = byte }
    }

    /// `true` when `em` is exactly the encoding of `digest` for `algorithm`. Examines every byte (no early exit), so
    /// the time taken says nothing about where a forgery attempt went wrong.
    static func isEncoding(
        _ em: UnsafeRawBufferPointer, of digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm
    ) -> Bool {
        var diff = UInt8(0)
        let shaped = unsafe forEachByte(k: em.count, digest: digest, algorithm: algorithm) { i, byte in
            diff |= unsafe em[i] ^ byte
        }
        return shaped && diff == 0
    }
}
