// SPDX-License-Identifier: Apache-2.0

/// Decodes base64url incrementally and strictly: feed chunks with `decode(_:into:)`, then call `finish(into:)` once.
///
/// The output and the errors are identical to ``Base64URL/decode(_:into:)-(UnsafeRawBufferPointer,_)`` on the
/// concatenated input, however it is split: every ``Base64URLError/offset`` is absolute across all chunks. Each
/// byte is checked in the call that receives it (so a bad byte is reported as early as possible); the length and
/// the canonical form of the final group are checked by `finish`. Between calls the decoder carries at most 3
/// characters.
///
/// After a decoding error the decoder is failed: every later `decode` or `finish` throws the same error.
/// ``Base64URLError/Code/outputTooSmall`` is not a failure: nothing was consumed and the call can be repeated with
/// more space. After a successful `finish` the decoder is reset and can decode a new stream.
///
/// A non-ASCII character split across two chunks is reported at its first byte with ``Base64URLError/scalar``
/// `nil`, since the rest of it has not arrived yet.
///
/// Allocation: none (the state is stored inline).
public struct Base64URLDecoder: Sendable {
    /// Up to 3 carried characters (already validated), the first in the low byte.
    var pending: UInt32 = 0
    var pendingCount = 0
    /// Bytes fed since the stream started (for ``Base64URLError/offset``).
    var consumed = 0
    var failure: Base64URLError? = nil

    /// Creates a decoder at the start of a stream.
    ///
    /// Allocation: none.
    public init() {}

    /// The number of characters carried to the next call (0…3).
    ///
    /// Allocation: none.
    public var pendingCharacterCount: Int { pendingCount }

    /// The number of bytes the next `decode` call writes for a chunk of `chunkCount` characters (if it succeeds).
    ///
    /// - Parameter chunkCount: the size of the next chunk.
    /// - Returns: `(pendingCharacterCount + chunkCount) / 4 * 3`.
    ///
    /// Allocation: none.
    public func outputCount(forChunkCount chunkCount: Int) -> Int { (pendingCount + max(chunkCount, 0)) / 4 * 3 }

    /// The number of bytes `finish` writes if it succeeds: 0, 1 or 2.
    ///
    /// Allocation: none.
    public var finishOutputCount: Int { pendingCount > 1 ? pendingCount - 1 : 0 }

    /// Decodes every complete 4-character group formed by the carried characters and `chunk`, carrying the rest.
    ///
    /// - Parameters:
    ///   - chunk: the next input characters.
    ///   - output: where the bytes go; needs ``outputCount(forChunkCount:)`` bytes.
    /// - Returns: the number of bytes written.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream offset of `chunk`; nothing consumed);
    ///   ``Base64URLError/Code/invalidCharacter`` or ``Base64URLError/Code/padding`` at the absolute offset of the
    ///   first bad byte (the decoder is then failed and `output` holds unspecified bytes); or the decoder's earlier
    ///   failure.
    ///
    /// Allocation: none.
    @unsafe
    public mutating func decode(
        _ chunk: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Base64URLError) -> Int {
        if let failure { throw failure }
        let needed = outputCount(forChunkCount: chunk.count)
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: consumed, needed: needed, available: output.count)
        }
        do {
            return try unsafe decodeChecked(chunk, into: output.baseAddress)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func decodeChecked(
        _ chunk: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer?
    ) throws(Base64URLError) -> Int {
        let base = consumed
        consumed += chunk.count
        var i = 0
        var o = 0
        if pendingCount > 0 {
            let take = min(4 - pendingCount, chunk.count)
            try unsafe carry(chunk, from: 0, to: take, base: base)
            i = take
            guard pendingCount == 4, let dst = unsafe dst else { return 0 }
            var group: UInt32 = 0
            for k in 0..<4 {
                let c = UInt8(truncatingIfNeeded: pending >> UInt32(8 * k))
                group |= UInt32(Base64URLTables.value(of: c)) << UInt32(18 - 6 * k)
            }
            unsafe dst.storeBytes(of: UInt16(truncatingIfNeeded: group >> 8).bigEndian, as: UInt16.self)
            unsafe dst.storeBytes(of: UInt8(truncatingIfNeeded: group), toByteOffset: 2, as: UInt8.self)
            o = 3
            pending = 0
            pendingCount = 0
        }
        let groups = (chunk.count - i) / 4
        if groups > 0, let dst = unsafe dst {
            o += try unsafe Base64URL._decodeGroups(chunk, from: i, groups: groups, into: dst + o, absoluteBase: base)
            i += groups * 4
        }
        try unsafe carry(chunk, from: i, to: chunk.count, base: base)
        return o
    }

    /// Validates `chunk[from..<to]` and appends it to the carried characters.
    private mutating func carry(
        _ chunk: UnsafeRawBufferPointer, from: Int, to: Int, base: Int
    ) throws(Base64URLError) {
        for k in from..<to {
            let c = unsafe chunk[k]
            guard Base64URLTables.value(of: c) < 64 else {
                throw unsafe Base64URLError.invalidByte(in: chunk, at: k, absoluteBase: base)
            }
            pending |= UInt32(c) << UInt32(8 * pendingCount)
            pendingCount += 1
        }
    }

    /// Decodes the final group from the carried characters (if any) and resets the decoder.
    ///
    /// - Parameter output: where the bytes go; needs ``finishOutputCount`` bytes.
    /// - Returns: the number of bytes written (0, 1 or 2).
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset: the stream length; the decoder is unchanged);
    ///   ``Base64URLError/Code/invalidLength`` (offset: the stream length) if one character is carried;
    ///   ``Base64URLError/Code/nonCanonical`` (offset of the last character) if its unused bits are not zero; or
    ///   the decoder's earlier failure.
    ///
    /// Allocation: none.
    @unsafe
    public mutating func finish(into output: UnsafeMutableRawBufferPointer) throws(Base64URLError) -> Int {
        if let failure { throw failure }
        let needed = finishOutputCount
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: consumed, needed: needed, available: output.count)
        }
        switch pendingCount {
        case 0:
            self = Base64URLDecoder()
            return 0
        case 1:
            let error = Base64URLError.invalidLength(count: consumed)
            failure = error
            throw error
        default:
            var values: UInt32 = 0
            for k in 0..<pendingCount {
                let c = UInt8(truncatingIfNeeded: pending >> UInt32(8 * k))
                values |= UInt32(Base64URLTables.value(of: c)) << UInt32(18 - 6 * k)
            }
            let last = UInt8(truncatingIfNeeded: pending >> UInt32(8 * (pendingCount - 1)))
            guard let dst = output.baseAddress else { return 0 }  // unreachable: needed > 0
            do {
                let written = try unsafe Base64URL._decodeFinal(
                    values, count: pendingCount, lastOffset: consumed - 1, lastByte: last, into: dst)
                self = Base64URLDecoder()
                return written
            } catch {
                failure = error
                throw error
            }
        }
    }

    /// Decodes every complete 4-character group formed by the carried characters and `chunk`, appending to `output`.
    ///
    /// - Parameters:
    ///   - chunk: the next input characters.
    ///   - output: receives ``outputCount(forChunkCount:)`` bytes after its initialized prefix.
    /// - Throws: as ``decode(_:into:)-(UnsafeRawBufferPointer,_)``; on any error nothing is appended.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func decode(_ chunk: Span<UInt8>, into output: inout OutputSpan<UInt8>) throws(Base64URLError) {
        try unsafe chunk.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBufferPointer { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(
                    UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                initialized += try unsafe decode(src, into: free)
            }
        }
    }

    /// Decodes every complete 4-character group formed by the carried characters and `chunk`, appending to `output`.
    ///
    /// - Parameters:
    ///   - chunk: the next input characters.
    ///   - output: receives ``outputCount(forChunkCount:)`` bytes after its initialized prefix.
    /// - Throws: as ``decode(_:into:)-(UnsafeRawBufferPointer,_)``; on any error nothing is appended.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public mutating func decode(_ chunk: RawSpan, into output: inout OutputRawSpan) throws(Base64URLError) {
        try unsafe chunk.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
                initialized += try unsafe decode(src, into: free)
            }
        }
    }

    /// Decodes the final group from the carried characters (if any), appends it to `output`, and resets the decoder.
    ///
    /// - Parameter output: receives ``finishOutputCount`` bytes after its initialized prefix.
    /// - Throws: as ``finish(into:)-(UnsafeMutableRawBufferPointer)``; on any error nothing is appended.
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

    /// Decodes the final group from the carried characters (if any), appends it to `output`, and resets the decoder.
    ///
    /// - Parameter output: receives ``finishOutputCount`` bytes after its initialized prefix.
    /// - Throws: as ``finish(into:)-(UnsafeMutableRawBufferPointer)``; on any error nothing is appended.
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
