// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// What ``SHA256``, ``SHA384`` and ``SHA512`` have in common: each type supplies its digest length, the initial state,
/// the two core `update` overloads and ``finalize(into:)``; the span `update`, the array ``finalize()`` and the
/// one-shot `hash` functions are written once here for all three.
///
/// Allocation: none, except the `[UInt8]` returned by ``finalize()`` and the `hash` functions.
protocol SHA2Hasher: Sendable {
    /// The digest length in bytes.
    static var byteCount: Int { get }

    /// Creates a hasher with the algorithm's FIPS 180-4 initial hash value.
    init()

    /// Adds the bytes of a raw buffer to the message.
    ///
    /// - Parameter bytes: The next bytes of the message (may be empty).
    mutating func update(_ bytes: UnsafeRawBufferPointer)

    /// Adds a collection of bytes to the message (for example `[UInt8]`, `ArraySlice<UInt8>` or `String.UTF8View`).
    ///
    /// - Parameter bytes: The next bytes of the message (may be empty).
    mutating func update(_ bytes: some Collection<UInt8>)

    /// Finishes the hash and writes the ``byteCount``-byte digest to the start of `output`.
    ///
    /// - Parameter output: Where the digest goes; at least ``byteCount`` bytes. Bytes after the digest are left
    ///   untouched.
    /// - Throws: ``GMPVerifierError`` with code ``GMPVerifierError/Code/outputTooSmall`` if `output` is shorter than
    ///   ``byteCount``; nothing is written then.
    consuming func finalize(into output: UnsafeMutableRawBufferPointer) throws(GMPVerifierError)
}

extension SHA2Hasher {
    /// Adds the bytes of a span to the message.
    ///
    /// - Parameter bytes: The next bytes of the message (may be empty).
    ///
    /// Allocation: none.
    mutating func update(_ bytes: RawSpan) {
        unsafe bytes.withUnsafeBytes { unsafe update($0) }
    }

    /// Finishes the hash and returns the ``byteCount``-byte digest.
    ///
    /// - Returns: The digest, most significant byte first.
    ///
    /// Allocation: the returned array.
    consuming func finalize() -> [UInt8] {
        let hasher = self
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        var span = digest.mutableSpan
        var bytes = unsafe span.mutableBytes
        // The buffer is exactly byteCount bytes, so finalize(into:) cannot throw here.
        unsafe bytes.withUnsafeMutableBytes { _ = try? unsafe hasher.finalize(into: $0) }
        return digest
    }

    /// Returns the digest of `bytes`.
    ///
    /// - Parameter bytes: The whole message.
    /// - Returns: The ``byteCount``-byte digest.
    ///
    /// Allocation: the returned array.
    static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var h = Self()
        h.update(bytes)
        return h.finalize()
    }

    /// Returns the digest of the bytes in a span.
    ///
    /// - Parameter bytes: The whole message.
    /// - Returns: The ``byteCount``-byte digest.
    ///
    /// Allocation: the returned array.
    static func hash(_ bytes: RawSpan) -> [UInt8] {
        var h = Self()
        h.update(bytes)
        return h.finalize()
    }

    /// Returns the digest of the bytes in a raw buffer.
    ///
    /// - Parameter bytes: The whole message.
    /// - Returns: The ``byteCount``-byte digest.
    ///
    /// Allocation: the returned array.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var h = Self()
        unsafe h.update(bytes)
        return h.finalize()
    }
}
