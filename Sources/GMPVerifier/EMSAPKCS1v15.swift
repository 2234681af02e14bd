// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2), used the way RFC 8017 §8.2.2 step 3 recommends for verification: build the one
/// expected encoded message and compare whole blocks. Nothing is parsed, so there is no BER leniency, no
/// missing-NULL variant, no trailing data, and the padding is exactly `k - tLen - 3` (≥ 8) bytes of `FF`.
enum EMSAPKCS1v15 {
    /// The DER `DigestInfo` header that precedes the digest (RFC 8017 §9.2 note 1). Always 19 bytes for SHA-2.
    typealias DigestInfoPrefix = (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    )

    static let digestInfoPrefixByteCount = 19

    /// `SEQUENCE { SEQUENCE { OID id-sha*, NULL }, OCTET STRING (hLen bytes) }` up to the digest itself.
    static func digestInfoPrefix(_ hash: GMPRSAAlgorithm.Hash) -> DigestInfoPrefix {
        switch hash {
        case .sha256:
            (
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
                0x04, 0x20
            )
        case .sha384:
            (
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
                0x04, 0x30
            )
        case .sha512:
            (
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
                0x04, 0x40
            )
        }
    }

    /// The parts of an encoded message, used only to say where a mismatch starts.
    enum Region: String, Sendable {
        case header = "leading 00 01 bytes"
        case padding = "FF padding"
        case separator = "00 separator"
        case digestInfo = "DigestInfo prefix"
        case digest = "digest"
    }

    /// Writes `EM = 00 01 FF…FF 00 || DigestInfo prefix || digest` into `em` (all of it: `em.count` is k).
    /// - Returns: `false` (writing nothing) when k leaves fewer than 8 bytes of padding (RFC 8017 §9.2 step 4).
    static func encode(
        digest: UnsafeRawPointer, algorithm: GMPRSAAlgorithm, into em: UnsafeMutableRawBufferPointer
    ) -> Bool {
        let hLen = algorithm.digestByteCount
        let tLen = digestInfoPrefixByteCount + hLen
        let k = em.count
        guard let base = em.baseAddress, k >= tLen + 11 else { return false }
        let psLen = k - tLen - 3
        unsafe base.storeBytes(of: 0x00, as: UInt8.self)
        unsafe base.storeBytes(of: 0x01, toByteOffset: 1, as: UInt8.self)
        unsafe (base + 2).initializeMemory(as: UInt8.self, repeating: 0xFF, count: psLen)
        unsafe base.storeBytes(of: 0x00, toByteOffset: 2 + psLen, as: UInt8.self)
        let prefix = digestInfoPrefix(algorithm.hash)
        unsafe withUnsafeBytes(of: prefix) { p in
            unsafe (base + 3 + psLen).copyMemory(from: p.baseAddress.unsafelyUnwrapped, byteCount: p.count)
        }
        unsafe (base + 3 + psLen + digestInfoPrefixByteCount).copyMemory(from: digest, byteCount: hLen)
        return true
    }

    /// Compares `count` bytes without an early exit (the running time depends only on `count`).
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var diff: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            diff |=
                unsafe a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            diff |= UInt64(
                unsafe a.load(fromByteOffset: i, as: UInt8.self) ^ b.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return diff == 0
    }

    /// Which part of a k-byte encoded message the first differing byte falls in (diagnostics only; called after
    /// ``equal(_:_:count:)`` said the blocks differ).
    static func firstDifference(
        _ actual: UnsafeRawPointer, _ expected: UnsafeRawPointer, count k: Int, algorithm: GMPRSAAlgorithm
    ) -> Region {
        var i = 0
        while i < k,
            unsafe actual.load(fromByteOffset: i, as: UInt8.self) == expected.load(fromByteOffset: i, as: UInt8.self)
        {
            i += 1
        }
        let tLen = digestInfoPrefixByteCount + algorithm.digestByteCount
        let separator = k - tLen - 1
        switch i {
        case ..<2: return .header
        case ..<separator: return .padding
        case separator: return .separator
        case ..<(separator + 1 + digestInfoPrefixByteCount): return .digestInfo
        default: return .digest
        }
    }
}
