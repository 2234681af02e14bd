// SPDX-License-Identifier: Apache-2.0

import Base64URL
import TestSupport

extension SplitMix64 {
    /// Splits `count` into random chunk sizes (including empty chunks), summing to `count`.
    mutating func chunking(of count: Int, maxChunk: Int = 19) -> [Int] {
        var sizes: [Int] = []
        var left = count
        while left > 0 {
            let size = Int.random(in: 0...min(left, maxChunk), using: &self)
            sizes.append(size)
            left -= size
        }
        if Bool.random(using: &self) { sizes.append(0) }
        return sizes
    }
}

/// A deliberately simple bit-by-bit base64url, used as the oracle for the fast implementation.
enum Reference {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var acc = 0
        var bits = 0
        for b in bytes {
            acc = acc << 8 | Int(b)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(alphabet[(acc >> bits) & 63])
            }
            acc &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(acc << (6 - bits)) & 63]) }
        return out
    }

    /// The first error a strict decoder must report, by the rules in the order of offsets.
    static func firstError(_ chars: [UInt8]) -> Base64URLError? {
        for (i, c) in chars.enumerated() where !alphabet.contains(c) {
            return Base64URLError(code: c == UInt8(ascii: "=") ? .padding : .invalidCharacter, offset: i, byte: c)
        }
        if chars.count % 4 == 1 { return Base64URLError(code: .invalidLength, offset: chars.count) }
        if let last = chars.last, chars.count % 4 != 0 {
            let value = alphabet.firstIndex(of: last) ?? 0
            let unused = chars.count % 4 == 2 ? 15 : 3
            if value & unused != 0 { return Base64URLError(code: .nonCanonical, offset: chars.count - 1, byte: last) }
        }
        return nil
    }
}

/// Runs `body` and returns the error it threw, or `nil`.
func caught<T>(_ body: () throws(Base64URLError) -> T) -> Base64URLError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// What the Base64URL tests compare: the code and the offset. `Base64URLError`'s `==` compares codes only, as every
/// Signet error's does, so a test that cares where an error is compares sites.
struct ErrorSite: Equatable, CustomStringConvertible {
    let code: Base64URLError.Code
    let offset: Int
    var description: String { "\(code) @\(offset)" }
}

extension Base64URLError {
    /// The code and offset.
    var site: ErrorSite { ErrorSite(code: code, offset: offset) }
}

/// The site of the error `body` throws, or `nil` when it throws none.
func thrownSite<T>(_ body: () throws(Base64URLError) -> T) -> ErrorSite? { caught(body)?.site }

/// Every one-shot API shape, so each test can run against all of them.
enum Shape: String, CaseIterable, CustomStringConvertible {
    case rawBuffer, span, rawSpan, mutableRawSpan, convenience
    var description: String { rawValue }

    func encode(_ bytes: [UInt8]) throws(Base64URLError) -> [UInt8] {
        let capacity = Base64URL.encodedCount(byteCount: bytes.count)
        switch self {
        case .rawBuffer:
            return try unsafe [UInt8](unsafeUninitializedCapacity: max(1, capacity)) {
                (buffer, count) throws(Base64URLError) in
                count = try unsafe bytes.span.withUnsafeBytes { (input) throws(Base64URLError) in
                    try unsafe Base64URL.encode(input, into: UnsafeMutableRawBufferPointer(buffer))
                }
            }
        case .span:
            return try [UInt8](capacity: capacity) { (out) throws(Base64URLError) in
                try Base64URL.encode(bytes.span, into: &out)
            }
        case .rawSpan:
            return try unsafe [UInt8](unsafeUninitializedCapacity: max(1, capacity)) {
                (buffer, count) throws(Base64URLError) in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                var out = unsafe OutputRawSpan(buffer: raw, initializedCount: 0)
                try unsafe Base64URL.encode(bytes.span.bytes, into: &out)
                count = unsafe out.finalize(for: raw)
            }
        case .mutableRawSpan:
            var out = [UInt8](repeating: 0, count: capacity)
            var outSpan = out.mutableSpan
            var outBytes = MutableRawSpan(_elements: &outSpan)
            let count = try Base64URL.encode(RawSpan(_elements: bytes.span), into: &outBytes)
            return Array(out[..<count])
        case .convenience:
            let string = Base64URL.encode(bytes)
            let array = Base64URL.encodeToBytes(bytes)
            guard Array(string.utf8) == array else { return [] }
            return array
        }
    }

    func decode(_ chars: [UInt8]) throws(Base64URLError) -> [UInt8] {
        let capacity = chars.count / 4 * 3 + 2
        switch self {
        case .rawBuffer:
            return try unsafe [UInt8](unsafeUninitializedCapacity: max(1, capacity)) {
                (buffer, count) throws(Base64URLError) in
                count = try unsafe chars.span.withUnsafeBytes { (input) throws(Base64URLError) in
                    try unsafe Base64URL.decode(input, into: UnsafeMutableRawBufferPointer(buffer))
                }
            }
        case .span:
            return try [UInt8](capacity: capacity) { (out) throws(Base64URLError) in
                try Base64URL.decode(chars.span, into: &out)
            }
        case .rawSpan:
            return try unsafe [UInt8](unsafeUninitializedCapacity: max(1, capacity)) {
                (buffer, count) throws(Base64URLError) in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                var out = unsafe OutputRawSpan(buffer: raw, initializedCount: 0)
                try unsafe Base64URL.decode(chars.span.bytes, into: &out)
                count = unsafe out.finalize(for: raw)
            }
        case .mutableRawSpan:
            var out = [UInt8](repeating: 0, count: capacity)
            var outSpan = out.mutableSpan
            var outBytes = MutableRawSpan(_elements: &outSpan)
            let count = try Base64URL.decode(RawSpan(_elements: chars.span), into: &outBytes)
            return Array(out[..<count])
        case .convenience:
            let viaArray = try Base64URL.decode(chars)
            let viaString = try Base64URL.decode(String(decoding: chars, as: UTF8.self))
            let viaSlice = try Base64URL.decode(chars[...])
            guard viaArray == viaString || !chars.allSatisfy({ $0 < 0x80 }), viaArray == viaSlice else { return [0xEE] }
            return viaArray
        }
    }
}

/// Streaming helpers: feed `input` in the given chunk sizes through the raw-buffer or span streaming API.
enum Streaming {
    static func encode(_ input: [UInt8], chunks: [Int], useSpans: Bool) throws(Base64URLError) -> [UInt8] {
        var encoder = Base64URLEncoder()
        var out: [UInt8] = []
        var start = 0
        for size in chunks {
            let chunk = Array(input[start..<start + size])
            start += size
            let capacity = encoder.outputCount(forChunkCount: size)
            out += try unsafe piece(capacity: capacity, useSpans: useSpans) { (raw) throws(Base64URLError) in
                try unsafe chunk.span.withUnsafeBytes { (c) throws(Base64URLError) in
                    try unsafe encoder.encode(c, into: raw)
                }
            } span: { (o) throws(Base64URLError) in
                try encoder.encode(chunk.span, into: &o)
            }
        }
        out += try unsafe piece(capacity: encoder.finishOutputCount, useSpans: useSpans) {
            (raw) throws(Base64URLError) in
            try unsafe encoder.finish(into: raw)
        } span: { (o) throws(Base64URLError) in
            try encoder.finish(into: &o)
        }
        return out
    }

    static func decode(_ input: [UInt8], chunks: [Int], useSpans: Bool) throws(Base64URLError) -> [UInt8] {
        var decoder = Base64URLDecoder()
        var out: [UInt8] = []
        var start = 0
        for size in chunks {
            let chunk = Array(input[start..<start + size])
            start += size
            let capacity = decoder.outputCount(forChunkCount: size)
            out += try unsafe piece(capacity: capacity, useSpans: useSpans) { (raw) throws(Base64URLError) in
                try unsafe chunk.span.withUnsafeBytes { (c) throws(Base64URLError) in
                    try unsafe decoder.decode(c, into: raw)
                }
            } span: { (o) throws(Base64URLError) in
                try decoder.decode(chunk.span, into: &o)
            }
        }
        out += try unsafe piece(capacity: decoder.finishOutputCount, useSpans: useSpans) {
            (raw) throws(Base64URLError) in
            try unsafe decoder.finish(into: raw)
        } span: { (o) throws(Base64URLError) in
            try decoder.finish(into: &o)
        }
        return out
    }

    /// Runs one call with exactly `capacity` bytes of output space and checks it used all of it.
    private static func piece(
        capacity: Int, useSpans: Bool,
        raw: (UnsafeMutableRawBufferPointer) throws(Base64URLError) -> Int,
        span: (inout OutputSpan<UInt8>) throws(Base64URLError) -> Void
    ) throws(Base64URLError) -> [UInt8] {
        if useSpans {
            return try [UInt8](capacity: capacity) { (o) throws(Base64URLError) in try span(&o) }
        }
        return try unsafe [UInt8](unsafeUninitializedCapacity: max(1, capacity)) {
            (buffer, count) throws(Base64URLError) in
            count = try unsafe raw(UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
