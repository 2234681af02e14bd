// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// SHA-512 (FIPS 180-4 §6.4), computed in Swift with no heap allocation.
///
/// The state, the 128-byte block buffer and the length counter are stored inline, so a `SHA512` value lives on the
/// stack and copying it forks the computation. Feed bytes with any of the `update` overloads (in as many pieces as
/// you like), then call one of the `finalize` methods once.
///
/// Allocation: none, except the `[UInt8]` returned by ``finalize()`` and the `hash` functions.
@safe
struct SHA512: SHA2Hasher {
    /// The digest length in bytes: 64.
    static let byteCount = 64
    /// The block length in bytes: 128.
    static let blockByteCount = 128

    var core: SHA512Core

    /// Creates a hasher with the FIPS 180-4 §5.3.5 initial hash value.
    ///
    /// Allocation: none.
    init() { core = SHA512Core(iv: SHA512Core.sha512IV) }

    /// Adds the bytes of a raw buffer to the message.
    ///
    /// Whole blocks are compressed straight from `bytes`; only a trailing partial block is copied.
    /// - Parameter bytes: The next bytes of the message (may be empty).
    ///
    /// Allocation: none.
    mutating func update(_ bytes: UnsafeRawBufferPointer) { unsafe core.update(bytes) }

    /// Adds a collection of bytes to the message (for example `[UInt8]`, `ArraySlice<UInt8>` or `String.UTF8View`).
    ///
    /// Contiguous collections are hashed in place; others are fed byte by byte.
    /// - Parameter bytes: The next bytes of the message (may be empty).
    ///
    /// Allocation: none.
    mutating func update(_ bytes: some Collection<UInt8>) { core.update(bytes) }

    /// Finishes the hash and writes the 64-byte digest to the start of `output`.
    ///
    /// - Parameter output: Where the digest goes; at least ``byteCount`` bytes. Bytes after the first 64 are left
    ///   untouched.
    /// - Throws: ``GMPVerifierError`` with code ``GMPVerifierError/Code/outputTooSmall`` if `output` is shorter than
    ///   ``byteCount``; nothing is written then.
    ///
    /// Allocation: none.
    consuming func finalize(into output: UnsafeMutableRawBufferPointer) throws(GMPVerifierError) {
        guard let base = output.baseAddress, output.count >= SHA512.byteCount else {
            throw GMPVerifierError.outputTooSmall(needed: SHA512.byteCount, available: output.count)
        }
        unsafe core.finish(into: base, byteCount: SHA512.byteCount)
    }
}
