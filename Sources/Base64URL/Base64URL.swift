// SPDX-License-Identifier: Apache-2.0
// TEMPORARY scalar implementation of the agreed API, replaced by the full module on branch b64.

/// Strict unpadded base64url (RFC 4648 §5).
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encoded length of `byteCount` bytes, without padding.
    public static func encodedCount(byteCount: Int) -> Int { (byteCount * 4 + 2) / 3 }

    /// Decoded length of `encodedCount` characters. Throws `.invalidLength` for a length of 1 mod 4.
    public static func decodedCount(encodedCount: Int) throws(Base64URLError) -> Int {
        if encodedCount % 4 == 1 { throw Base64URLError(code: .invalidLength, offset: encodedCount, byte: nil) }
        return encodedCount / 4 * 3 + max(0, encodedCount % 4 - 1)
    }

    /// Encodes `input` into `output`; returns the bytes written.
    public static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(Base64URLError) -> Int
    {
        let n = encodedCount(byteCount: input.count)
        guard output.count >= n else { throw Base64URLError(code: .outputTooSmall, offset: 0, byte: nil) }
        var o = 0
        var i = 0
        while i + 3 <= input.count {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            output[o] = alphabet[Int(v >> 18 & 63)]
            output[o + 1] = alphabet[Int(v >> 12 & 63)]
            output[o + 2] = alphabet[Int(v >> 6 & 63)]
            output[o + 3] = alphabet[Int(v & 63)]
            i += 3
            o += 4
        }
        let rest = input.count - i
        if rest > 0 {
            let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            output[o] = alphabet[Int(v >> 18 & 63)]
            output[o + 1] = alphabet[Int(v >> 12 & 63)]
            o += 2
            if rest == 2 {
                output[o] = alphabet[Int(v >> 6 & 63)]
                o += 1
            }
        }
        return o
    }

    static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - 65)
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - 97 + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - 48 + 52)
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Decodes `input` into `output`; returns the bytes written.
    public static func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(Base64URLError) -> Int
    {
        for (k, c) in input.enumerated() where value(c) == nil {
            throw Base64URLError(code: c == UInt8(ascii: "=") ? .padding : .invalidCharacter, offset: k, byte: c)
        }
        let n = try decodedCount(encodedCount: input.count)
        guard output.count >= n else { throw Base64URLError(code: .outputTooSmall, offset: 0, byte: nil) }
        var acc: UInt32 = 0
        var bits = 0
        var o = 0
        for c in input {
            acc = acc << 6 | (value(c) ?? 0)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output[o] = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                o += 1
            }
        }
        if bits > 0 && acc & ((1 << UInt32(bits)) - 1) != 0 {
            throw Base64URLError(code: .nonCanonical, offset: input.count - 1, byte: input[input.count - 1])
        }
        return o
    }

    /// Encodes `bytes` as a base64url string.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let a = Array(bytes)
        var out = [UInt8](repeating: 0, count: encodedCount(byteCount: a.count))
        _ = try? a.withUnsafeBytes { i in try out.withUnsafeMutableBytes { o in try encode(i, into: o) } }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64url text.
    public static func decode(_ text: String) throws(Base64URLError) -> [UInt8] {
        try decode(Array(text.utf8))
    }

    /// Decodes base64url bytes.
    public static func decode(_ bytes: [UInt8]) throws(Base64URLError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bytes.count)
        let r: Result<Int, Base64URLError> = bytes.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { o in Result { () throws(Base64URLError) -> Int in try decode(i, into: o) } }
        }
        return Array(out.prefix(try r.get()))
    }
}

/// Why base64url input was rejected.
public struct Base64URLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable code.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// Spelling.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Spelling.
        public var description: String { rawValue }
        /// A byte outside the alphabet.
        public static let invalidCharacter = Code(rawValue: "base64url.invalid-character")
        /// `=` padding.
        public static let padding = Code(rawValue: "base64url.padding")
        /// Non-zero trailing bits.
        public static let nonCanonical = Code(rawValue: "base64url.non-canonical")
        /// Length 1 mod 4.
        public static let invalidLength = Code(rawValue: "base64url.invalid-length")
        /// Output too small.
        public static let outputTooSmall = Code(rawValue: "base64url.output-too-small")
    }
    /// Code.
    public let code: Code
    /// Offset.
    public let offset: Int
    /// Offending byte.
    public let byte: UInt8?
    /// Offending scalar.
    public var scalar: Unicode.Scalar? { nil }
    /// Reason.
    public var reason: String { "\(code.rawValue) at offset \(offset)" }
    /// Description.
    public var description: String { "Base64URLError.\(code.rawValue) @\(offset): \(reason)" }
}
