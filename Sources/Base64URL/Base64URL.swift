// SPDX-License-Identifier: Apache-2.0

/// Strict, fast, unpadded base64url (RFC 4648 §5, as used by JWS, RFC 7515 §2).
///
/// Encoding writes `A-Z a-z 0-9 - _` with no `=` padding. Decoding is strict: it rejects `=` (``Base64URLError/Code/padding``),
/// standard-base64 `+` and `/`, whitespace including CR and LF, every other byte outside the alphabet
/// (``Base64URLError/Code/invalidCharacter``), a length of `4k + 1` (``Base64URLError/Code/invalidLength``) and
/// non-zero unused bits in the last character (``Base64URLError/Code/nonCanonical``), so every byte string has
/// exactly one accepted encoding. Errors give the offset of the first offending byte, not of its 4-character group.
///
/// The primary API is safe and span-first; the other shapes are thin wrappers over one implementation:
/// - spans into caller buffers: `RawSpan` → `inout MutableRawSpan` (``encode(_:into:)-(RawSpan,MutableRawSpan)``,
///   written at the start, returning the count), `RawSpan` → `inout OutputRawSpan` and `Span<UInt8>` →
///   `inout OutputSpan<UInt8>` (appending to the output);
/// - raw buffers (``encode(_:into:)-(UnsafeRawBufferPointer,_)``), `@unsafe`, for callers that hold memory from C;
/// - allocating conveniences (``encode(_:)``, ``encodeToBytes(_:)``, ``decode(_:)-(String)``).
///
/// An output that is too small throws ``Base64URLError/Code/outputTooSmall`` before anything is written; nothing
/// traps on any input. For chunked data use ``Base64URLEncoder`` and ``Base64URLDecoder``.
///
/// Allocation: the raw-buffer, span and streaming APIs never allocate; the conveniences allocate their result.
public enum Base64URL {
    // MARK: Sizes

    /// The number of characters that `byteCount` bytes encode to: `(byteCount * 4 + 2) / 3` (unpadded).
    ///
    /// - Parameter byteCount: the number of input bytes. A negative count gives 0; a count whose encoding would
    ///   not fit in an `Int` gives `Int.max` (no buffer can be that large, so the output check then fails cleanly).
    /// - Returns: the exact encoded length.
    ///
    /// Allocation: none.
    @inlinable
    public static func encodedCount(byteCount: Int) -> Int {
        guard byteCount > 0 else { return 0 }
        let (groups, rest) = byteCount.quotientAndRemainder(dividingBy: 3)
        let (full, overflow) = groups.multipliedReportingOverflow(by: 4)
        guard !overflow, full <= Int.max - 3 else { return Int.max }
        return full + (rest == 0 ? 0 : rest + 1)
    }

    /// The number of bytes that `encodedCount` base64url characters decode to.
    ///
    /// - Parameter encodedCount: the number of input characters.
    /// - Returns: `encodedCount / 4 * 3` plus 1 or 2 for a final group of 2 or 3 characters.
    /// - Throws: ``Base64URLError/Code/invalidLength`` (offset `encodedCount`) if `encodedCount % 4 == 1` or it is
    ///   negative.
    ///
    /// Allocation: none.
    @inlinable
    public static func decodedCount(encodedCount: Int) throws(Base64URLError) -> Int {
        let (groups, rest) = encodedCount.quotientAndRemainder(dividingBy: 4)
        guard encodedCount >= 0, rest != 1 else { throw Base64URLError.invalidLength(count: encodedCount) }
        return groups * 3 + (rest == 0 ? 0 : rest - 1)
    }

    /// Output bytes `decode` needs for `encodedCount` characters; for a `4k + 1` length (which then fails) the
    /// bytes of the full groups.
    @inlinable
    static func _decodeCapacity(_ encodedCount: Int) -> Int {
        let rest = encodedCount & 3
        return encodedCount / 4 * 3 + (rest > 1 ? rest - 1 : 0)
    }

    // MARK: Raw buffers

    /// Encodes `input` into the start of `output`; the `@unsafe` form of
    /// ``encode(_:into:)-(RawSpan,MutableRawSpan)`` for memory that comes from C.
    ///
    /// - Parameters:
    ///   - input: the bytes to encode.
    ///   - output: where the characters go; needs at least ``encodedCount(byteCount:)`` bytes.
    /// - Returns: the number of bytes written, always `encodedCount(byteCount: input.count)`.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0) if `output` is too small; nothing is written.
    ///
    /// Allocation: none.
    @unsafe
    public static func encode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Base64URLError) -> Int {
        let needed = encodedCount(byteCount: input.count)
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: 0, needed: needed, available: output.count)
        }
        guard let src = input.baseAddress, let dst = output.baseAddress else { return 0 }
        return unsafe _encode(src, count: input.count, into: dst)
    }

    /// Decodes the base64url characters in `input` into the start of `output`, strictly; the `@unsafe` form of
    /// ``decode(_:into:)-(RawSpan,MutableRawSpan)`` for memory that comes from C.
    ///
    /// - Parameters:
    ///   - input: the characters (ASCII bytes) to decode.
    ///   - output: where the bytes go; needs `input.count / 4 * 3` plus 1 or 2 for a final group of 2 or 3
    ///     characters (see ``decodedCount(encodedCount:)``).
    /// - Returns: the number of bytes written.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0, checked first, nothing written);
    ///   then, for the first problem by offset: ``Base64URLError/Code/invalidCharacter`` or
    ///   ``Base64URLError/Code/padding`` at the offending byte, ``Base64URLError/Code/invalidLength`` at
    ///   `input.count`, or ``Base64URLError/Code/nonCanonical`` at the last character. After a decoding error the
    ///   contents of `output` are unspecified.
    ///
    /// Allocation: none.
    @unsafe
    public static func decode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Base64URLError) -> Int {
        let needed = _decodeCapacity(input.count)
        guard output.count >= needed else {
            throw Base64URLError.outputTooSmall(offset: 0, needed: needed, available: output.count)
        }
        guard input.count > 0 else { return 0 }
        guard let dst = output.baseAddress else {
            // Only a 1-character input needs no output space, and it is never valid.
            if Base64URLTables.value(of: unsafe input[0]) > 63 {
                throw unsafe Base64URLError.invalidByte(in: input, at: 0, absoluteBase: 0)
            }
            throw Base64URLError.invalidLength(count: input.count)
        }
        return try unsafe _decodeAll(input, into: dst, absoluteBase: 0)
    }

    // MARK: Spans

    /// Encodes `input` into the start of `output`.
    ///
    /// - Parameters:
    ///   - input: the bytes to encode.
    ///   - output: where the characters go; needs at least ``encodedCount(byteCount:)`` bytes.
    /// - Returns: the number of bytes written, always `encodedCount(byteCount: input.byteCount)`.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0) if `output` is too small; nothing is written.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func encode(_ input: RawSpan, into output: inout MutableRawSpan) throws(Base64URLError) -> Int {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) -> Int in
            try unsafe output.withUnsafeMutableBytes { (dst) throws(Base64URLError) -> Int in
                try unsafe encode(src, into: dst)
            }
        }
    }

    /// Decodes the base64url characters in `input` into the start of `output`, strictly.
    ///
    /// - Parameters:
    ///   - input: the characters (ASCII bytes) to decode.
    ///   - output: where the bytes go; needs `input.byteCount / 4 * 3` plus 1 or 2 for a final group of 2 or 3
    ///     characters (see ``decodedCount(encodedCount:)``).
    /// - Returns: the number of bytes written.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0, checked first, nothing written);
    ///   then, for the first problem by offset: ``Base64URLError/Code/invalidCharacter`` or
    ///   ``Base64URLError/Code/padding`` at the offending byte, ``Base64URLError/Code/invalidLength`` at
    ///   `input.byteCount`, or ``Base64URLError/Code/nonCanonical`` at the last character. After a decoding error
    ///   the contents of `output` are unspecified.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func decode(_ input: RawSpan, into output: inout MutableRawSpan) throws(Base64URLError) -> Int {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) -> Int in
            try unsafe output.withUnsafeMutableBytes { (dst) throws(Base64URLError) -> Int in
                try unsafe decode(src, into: dst)
            }
        }
    }

    /// Appends the encoding of `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: the bytes to encode.
    ///   - output: receives ``encodedCount(byteCount:)`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0) if `output`'s free capacity is too small;
    ///   nothing is appended.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func encode(_ input: RawSpan, into output: inout OutputRawSpan) throws(Base64URLError) {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
                initialized += try unsafe encode(src, into: free)
            }
        }
    }

    /// Appends the encoding of `input` to `output`.
    ///
    /// - Parameters:
    ///   - input: the bytes to encode.
    ///   - output: receives ``encodedCount(byteCount:)`` characters after its initialized prefix.
    /// - Throws: ``Base64URLError/Code/outputTooSmall`` (offset 0) if `output`'s free capacity is too small;
    ///   nothing is appended.
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func encode(_ input: Span<UInt8>, into output: inout OutputSpan<UInt8>) throws(Base64URLError) {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBufferPointer { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(
                    UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                initialized += try unsafe encode(src, into: free)
            }
        }
    }

    /// Strictly decodes `input` and appends the bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: the characters to decode.
    ///   - output: receives the decoded bytes after its initialized prefix.
    /// - Throws: as ``decode(_:into:)-(RawSpan,MutableRawSpan)``: ``Base64URLError/Code/outputTooSmall`` first (nothing
    ///   appended), then ``Base64URLError/Code/invalidCharacter``, ``Base64URLError/Code/padding``,
    ///   ``Base64URLError/Code/invalidLength`` or ``Base64URLError/Code/nonCanonical``. On a decoding error nothing
    ///   is appended (the initialized count is unchanged).
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func decode(_ input: RawSpan, into output: inout OutputRawSpan) throws(Base64URLError) {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
                initialized += try unsafe decode(src, into: free)
            }
        }
    }

    /// Strictly decodes `input` and appends the bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: the characters to decode.
    ///   - output: receives the decoded bytes after its initialized prefix.
    /// - Throws: as ``decode(_:into:)-(RawSpan,MutableRawSpan)``: ``Base64URLError/Code/outputTooSmall`` first (nothing
    ///   appended), then ``Base64URLError/Code/invalidCharacter``, ``Base64URLError/Code/padding``,
    ///   ``Base64URLError/Code/invalidLength`` or ``Base64URLError/Code/nonCanonical``. On a decoding error nothing
    ///   is appended (the initialized count is unchanged).
    ///
    /// Allocation: none.
    @_lifetime(output: copy output)
    public static func decode(_ input: Span<UInt8>, into output: inout OutputSpan<UInt8>) throws(Base64URLError) {
        try unsafe input.withUnsafeBytes { (src) throws(Base64URLError) in
            try unsafe output.withUnsafeMutableBufferPointer { (buffer, initialized) throws(Base64URLError) in
                let free = unsafe UnsafeMutableRawBufferPointer(
                    UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                initialized += try unsafe decode(src, into: free)
            }
        }
    }

    // MARK: Conveniences

    /// Returns the base64url encoding of `bytes` as a `String`.
    ///
    /// - Parameter bytes: the bytes to encode (contiguous collections are read in place; others are copied first).
    /// - Returns: the unpadded encoding.
    ///
    /// Allocation: one (the string's storage; none for results of up to 15 characters), plus a copy of `bytes`
    /// if it is not contiguous. Use ``encode(_:into:)-(RawSpan,MutableRawSpan)`` to avoid allocating.
    @inlinable
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let string = bytes.withContiguousStorageIfAvailable({ unsafe _encodeToString(UnsafeRawBufferPointer($0)) }) {
            return string
        }
        return unsafe Array(bytes).withUnsafeBytes { unsafe _encodeToString($0) }
    }

    /// Returns the base64url encoding of `bytes` as ASCII bytes.
    ///
    /// - Parameter bytes: the bytes to encode (contiguous collections are read in place; others are copied first).
    /// - Returns: the unpadded encoding.
    ///
    /// Allocation: one (the array), plus a copy of `bytes` if it is not contiguous.
    @inlinable
    public static func encodeToBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let array = bytes.withContiguousStorageIfAvailable({ unsafe _encodeToArray(UnsafeRawBufferPointer($0)) }) {
            return array
        }
        return unsafe Array(bytes).withUnsafeBytes { unsafe _encodeToArray($0) }
    }

    /// Strictly decodes a base64url string.
    ///
    /// - Parameter text: the encoded text; any non-ASCII character is rejected with its scalar.
    /// - Returns: the decoded bytes.
    /// - Throws: ``Base64URLError/Code/invalidCharacter``, ``Base64URLError/Code/padding``,
    ///   ``Base64URLError/Code/invalidLength`` or ``Base64URLError/Code/nonCanonical``, for the first problem by
    ///   UTF-8 byte offset.
    ///
    /// Allocation: one (the array), plus a UTF-8 copy of `text` if it is not stored contiguously.
    public static func decode(_ text: String) throws(Base64URLError) -> [UInt8] {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(Base64URLError) in try unsafe _decodeToArray(UnsafeRawBufferPointer(utf8)) }
        }
        return try result.get()
    }

    /// Strictly decodes base64url characters held as bytes.
    ///
    /// - Parameter bytes: the encoded characters.
    /// - Returns: the decoded bytes.
    /// - Throws: ``Base64URLError/Code/invalidCharacter``, ``Base64URLError/Code/padding``,
    ///   ``Base64URLError/Code/invalidLength`` or ``Base64URLError/Code/nonCanonical``, for the first problem by
    ///   offset.
    ///
    /// Allocation: one (the array).
    public static func decode(_ bytes: [UInt8]) throws(Base64URLError) -> [UInt8] {
        try unsafe bytes.span.withUnsafeBytes { (raw) throws(Base64URLError) in try unsafe _decodeToArray(raw) }
    }

    /// Strictly decodes base64url characters from any collection of bytes (for example `substring.utf8` or an
    /// `ArraySlice<UInt8>` of a token).
    ///
    /// - Parameter bytes: the encoded characters; offsets in errors count from its first element.
    /// - Returns: the decoded bytes.
    /// - Throws: ``Base64URLError/Code/invalidCharacter``, ``Base64URLError/Code/padding``,
    ///   ``Base64URLError/Code/invalidLength`` or ``Base64URLError/Code/nonCanonical``, for the first problem by
    ///   offset.
    ///
    /// Allocation: one (the array), plus a copy of `bytes` if it is not contiguous.
    @inlinable
    public static func decode(_ bytes: some Collection<UInt8>) throws(Base64URLError) -> [UInt8] {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(Base64URLError) in try unsafe _decodeToArray(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        return try decode(Array(bytes))
    }

    @usableFromInline
    static func _encodeToString(_ src: UnsafeRawBufferPointer) -> String {
        let count = encodedCount(byteCount: src.count)
        return unsafe String(unsafeUninitializedCapacity: count) { buffer in
            guard let s = src.baseAddress, let d = buffer.baseAddress else { return 0 }
            return unsafe _encode(s, count: src.count, into: UnsafeMutableRawPointer(d))
        }
    }

    @usableFromInline
    static func _encodeToArray(_ src: UnsafeRawBufferPointer) -> [UInt8] {
        let count = encodedCount(byteCount: src.count)
        // max(1, …): see _decodeToArray
        return unsafe [UInt8](unsafeUninitializedCapacity: max(1, count)) { buffer, initialized in
            guard let s = src.baseAddress, let d = buffer.baseAddress else { return }
            initialized = unsafe _encode(s, count: src.count, into: UnsafeMutableRawPointer(d))
        }
    }

    @usableFromInline
    static func _decodeToArray(_ src: UnsafeRawBufferPointer) throws(Base64URLError) -> [UInt8] {
        // A capacity of 0 makes the standard library write the count into the shared empty-array singleton, which
        // ThreadSanitizer reports as a race when two threads do it; a 1-byte buffer avoids the singleton.
        try unsafe [UInt8](unsafeUninitializedCapacity: max(1, _decodeCapacity(src.count))) {
            (buffer, initialized) throws(Base64URLError) in
            initialized = try unsafe decode(src, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
