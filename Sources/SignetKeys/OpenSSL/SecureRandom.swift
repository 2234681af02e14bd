// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`), seeded from the operating system.
package enum SecureRandom {
    /// Fills `buffer` with random bytes.
    ///
    /// - Parameter buffer: The bytes to overwrite.
    /// - Throws: ``SignetKeyError`` `key.openssl` if the DRBG fails (not seeded); the buffer must not be used then.
    /// - Allocation: none on the Swift side.
    package static func fill(_ buffer: inout MutableRawSpan) throws(SignetKeyError) {
        try unsafe buffer.withUnsafeMutableBytes { (b) throws(SignetKeyError) in try unsafe fill(b) }
    }

    /// Fills a raw buffer with random bytes; the `@unsafe` form of ``fill(_:)-(MutableRawSpan)`` for memory that
    /// comes from C.
    ///
    /// - Parameter buffer: The bytes to overwrite.
    /// - Throws: as ``fill(_:)-(MutableRawSpan)``.
    /// - Allocation: none on the Swift side.
    @unsafe
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(SignetKeyError) {
        guard unsafe !buffer.isEmpty else { return }
        try openSSLCheck(unsafe COpenSSL_RAND_bytes(buffer.baseAddress, Int32(buffer.count)), "RAND_bytes")
    }

    /// `count` random bytes.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if the DRBG fails.
    /// - Allocation: the returned array.
    package static func bytes(_ count: Int) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var span = out.mutableSpan
        var raw = unsafe span.mutableBytes
        try unsafe raw.withUnsafeMutableBytes { (b) throws(SignetKeyError) in try unsafe fill(b) }
        return out
    }
}
