// SPDX-License-Identifier: Apache-2.0

extension StrictJSON {
    /// Checks that `bytes` is one JSON text that ``parse(_:limits:)-(RawSpan,_)`` accepts, without
    /// building any value.
    ///
    /// Accepts and rejects exactly what `parse` does, with the same error code and offset (it is the scanner the
    /// verifier's zero-allocation path uses).
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - limits: Depth and size bounds.
    /// - Throws: ``JSONError`` `json.invalid`, `json.duplicate-member`, `json.too-deep`, `json.too-large`.
    /// - Allocation: none, except the text of a thrown error and, for two member names of one object that differ
    ///   in their Unicode scalars but hold non-ASCII text, the Swift strings that decide canonical equivalence.
    public static func validate(_ bytes: RawSpan, limits: Limits = .default) throws(JSONError) {
        try unsafe bytes.withUnsafeBytes { (b) throws(JSONError) in try unsafe validate(b, limits: limits) }
    }

    /// Checks a raw buffer like ``validate(_:limits:)-(RawSpan,_)``; its `@unsafe` form for memory that comes
    /// from C.
    ///
    /// - Throws: as ``validate(_:limits:)-(RawSpan,_)``.
    /// - Allocation: as ``validate(_:limits:)-(RawSpan,_)``.
    @unsafe
    public static func validate(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONError) {
        var ignored = IgnoredJSONMembers()
        var rejectDuplicates: [JSONError]? = nil
        _ = try unsafe scan(bytes, limits: limits, rootMembers: &ignored, duplicates: &rejectDuplicates)
    }
}
