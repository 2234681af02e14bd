// SPDX-License-Identifier: Apache-2.0

/// Encodes base64url incrementally: feed chunks with `encode(_:into:)`, then call `finish(into:)` once.
///
/// The output is identical to ``Base64URL/encode(_:into:)-(UnsafeRawBufferPointer,_)`` on the concatenated input,
/// however the input is split. Between calls the encoder carries at most 2 input bytes. After `finish` it is reset
/// and can encode a new stream.
///
/// Allocation: none (the state is three integers, stored inline).
public struct Base64URLEncoder: Sendable {
    /// Up to 2 carried bytes, the first in bits 16…23.
    var pending: UInt32 = 0
    var pendingCount = 0
    /// Bytes fed since the stream started (for ``Base64URLError/offset``).
    var consumed = 0

    /// Creates an encoder at the start of a stream.
    ///
    /// Allocation: none.
    public init() {}

    /// The number of input bytes carried to the next call (0, 1 or 2).
    ///
    /// Allocation: none.
    public var pendingByteCount: Int { pendingCount }

    /// The number of characters the next `encode` call writes for a chunk of `chunkCount` bytes.
    ///
    /// - Parameter chunkCount: the size of the next chunk.
    /// - Returns: `(pendingByteCount + chunkCount) / 3 * 4`.
    ///
    /// Allocation: none.
    public func outputCount(forChunkCount chunkCount: Int) -> Int { (pendingCount + max(chunkCount, 0)) / 3 * 4 }

    /// The number of characters `finish` writes: 0, 2 or 3.
    ///
    /// Allocation: none.
    public var finishOutputCount: Int { pendingCount == 0 ? 0 : pendingCount + 1 }

    /// Encodes every complete 3-byte group formed by the carried bytes and `chunk`, carrying the rest.
    ///
    /// - Parameters:
    ///   - chunk: the next input bytes.
    ///   - output: where the characters go; needs ``outputCount(forChunkCount:)`` bytes.
    /// - Returns: the number of characters written.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream offset of `chunk`) if `output` is too
    ///   small; nothing is written or consumed, so the call can be repeated with a larger buffer.
    ///
    /// Allocation: none.
    @unsafe
    public mutating func encode(
        _ chunk: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Base64URLError) -> Int {
        let needed = outputCount(forChunkCount: chunk.count)
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: consumed, needed: needed, available: output.count)
        }
        consumed += chunk.count
        guard let src = chunk.baseAddress else { return 0 }
        var i = 0
        guard needed > 0, let dst = output.baseAddress else {
            unsafe carry(src, from: i, to: chunk.count)
            return 0
        }
        var o = 0
        if pendingCount > 0 {
            let take = 3 - pendingCount  // needed > 0, so the chunk completes the group
            unsafe carry(src, from: 0, to: take)
            i = take
            o = unsafe Base64URL._encodeFinal(pending, count: 3, into: dst)
            pending = 0
            pendingCount = 0
        }
        let full = (chunk.count - i) / 3 * 3
        if full > 0 {
            o += unsafe Base64URL._encode(src + i, count: full, into: dst + o)
            i += full
        }
        unsafe carry(src, from: i, to: chunk.count)
        return o
    }

    private mutating func carry(_ src: UnsafeRawPointer, from: Int, to: Int) {
        for k in from..<to {
            pending |= UInt32(unsafe src.load(fromByteOffset: k, as: UInt8.self)) << UInt32(16 - 8 * pendingCount)
            pendingCount += 1
        }
    }

    /// Writes the final 2 or 3 characters for the carried bytes (none if there are none) and resets the encoder.
    ///
    /// - Parameter output: where the characters go; needs ``finishOutputCount`` bytes.
    /// - Returns: the number of characters written.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream length) if `output` is too small; the
    ///   encoder is unchanged.
    ///
    /// Allocation: none.
    @unsafe
    public mutating func finish(into output: UnsafeMutableRawBufferPointer) throws(Base64URLError) -> Int {
        let needed = finishOutputCount
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: consumed, needed: needed, available: output.count)
        }
        defer { self = Base64URLEncoder() }
        guard needed > 0, let dst = output.baseAddress else { return 0 }
        return unsafe Base64URL._encodeFinal(pending, count: pendingCount, into: dst)
    }

    /// Encodes every complete 3-byte group formed by the carried bytes and `chunk`, appending to `output`.
    ///
    /// - Parameters:
    ///   - chunk: the next input bytes.
    ///   - output: receives ``outputCount(forChunkCount:)`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream offset of `chunk`); nothing is appended
    ///   or consumed.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func encode(_ chunk: Span<UInt8>, into output: inout OutputSpan<UInt8>) throws(Base64URLError) {
        try unsafe chunk.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBufferPointer { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(
                    UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                initialized += try unsafe encode(src, into: free)
            }
        }
    }

    /// Encodes every complete 3-byte group formed by the carried bytes and `chunk`, appending to `output`.
    ///
    /// - Parameters:
    ///   - chunk: the next input bytes.
    ///   - output: receives ``outputCount(forChunkCount:)`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream offset of `chunk`); nothing is appended
    ///   or consumed.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func encode(_ chunk: RawSpan, into output: inout OutputRawSpan) throws(Base64URLError) {
        try unsafe chunk.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
                initialized += try unsafe encode(src, into: free)
            }
        }
    }

    /// Appends the final 2 or 3 characters for the carried bytes (none if there are none) and resets the encoder.
    ///
    /// - Parameter output: receives ``finishOutputCount`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream length); the encoder is unchanged.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func finish(into output: inout OutputSpan<UInt8>) throws(Base64URLError) {
        try unsafe output.withUnsafeMutableBufferPointer { (buffer, initialized) throws(Base64URLError) in
            let free = unsafe UnsafeMutableRawBufferPointer(
                UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
            initialized += try unsafe finish(into: free)
        }
    }

    /// Appends the final 2 or 3 characters for the carried bytes (none if there are none) and resets the encoder.
    ///
    /// - Parameter output: receives ``finishOutputCount`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream length); the encoder is unchanged.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func finish(into output: inout OutputRawSpan) throws(Base64URLError) {
        try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(Base64URLError) in
            let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
            initialized += try unsafe finish(into: free)
        }
    }
}
