// SPDX-License-Identifier: Apache-2.0
import Base64URL

/// A tolerant reading of a compact JWS for diagnosis: the token is split on `.`, and each segment is scanned for
/// every character outside the base64url alphabet. Known damage (look-alike dashes, whitespace, invisible
/// characters, quotes, standard-base64 `+` `/`, `=` padding, non-canonical trailing bits) is recorded as a
/// ``Repair`` and undone in ``SegmentReading/cleaned``, so the rest of the token can still be checked.
struct TokenReading {
    /// The token's UTF-8 bytes, as given.
    let bytes: [UInt8]
    /// The `.`-separated segments (header, payload, signature when there are three).
    let segments: [SegmentReading]
    /// Length of a leading `Bearer ` (removed by the repair), or 0.
    let bearerPrefixLength: Int

    init(_ token: String) {
        let bytes = Array(token.utf8)
        self.bytes = bytes
        let prefix = Array("bearer ".utf8)
        let hasBearer =
            bytes.count > prefix.count
            && zip(bytes, prefix).allSatisfy { a, b in a == b || (a >= 0x41 && a <= 0x5A && a + 0x20 == b) }
        bearerPrefixLength = hasBearer ? prefix.count : 0
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") {
            ranges.append(start..<i)
            start = i + 1
        }
        ranges.append(start..<bytes.count)
        let names: [Finding.Segment] = [.header, .payload, .signature]
        segments = ranges.enumerated().map { i, r in
            let skip = i == 0 ? min(bytes.count, hasBearer ? prefix.count : 0) : 0
            return SegmentReading(
                segment: i < 3 ? names[i] : .token, range: r, bytes: bytes, skipping: skip)
        }
    }

    /// All repairs, in token order (the `Bearer ` prefix first).
    var repairs: [Repair] {
        var out: [Repair] = []
        if bearerPrefixLength > 0 { out.append(Repair(offset: 0, original: "Bearer ", replacement: "")) }
        for s in segments { out += s.repairs }
        return out
    }
}

/// One change the repair makes: `original` at `offset` becomes `replacement` ("" when it is removed).
struct Repair: Equatable {
    let offset: Int
    let original: String
    let replacement: String
}

/// One segment of a token, scanned tolerantly.
struct SegmentReading {
    /// Which segment.
    let segment: Finding.Segment
    /// Byte range in the token.
    let range: Range<Int>
    /// Base64url characters after repair.
    private(set) var cleaned: [UInt8] = []
    /// Token offset of each cleaned character.
    private(set) var origin: [Int] = []
    /// What the repair changed.
    private(set) var repairs: [Repair] = []
    /// Bad characters: for each distinct scalar, its offsets (in order of first appearance).
    private(set) var badCharacters: [(scalar: Unicode.Scalar, damage: Damage, offsets: [Int])] = []
    /// Whether every bad character has a known repair.
    private(set) var repairable = true
    /// Set when the cleaned length is 1 mod 4 (no decoding is possible): the token offset to report.
    private(set) var invalidLengthOffset: Int?
    /// Set when the last character has non-zero unused bits: its token offset.
    private(set) var nonCanonicalOffset: Int?
    /// The decoded bytes: of the segment as given when it is strict base64url, else of the repaired segment;
    /// `nil` when a character has no known repair or the length is impossible.
    private(set) var decoded: [UInt8]?

    /// The segment as given is strict, unpadded, canonical base64url.
    var isStrict: Bool { badCharacters.isEmpty && invalidLengthOffset == nil && nonCanonicalOffset == nil }

    init(segment: Finding.Segment, range: Range<Int>, bytes: [UInt8], skipping: Int) {
        self.segment = segment
        self.range = range
        var offset = range.lowerBound + skipping
        let text = String(decoding: bytes[offset..<range.upperBound], as: UTF8.self)
        for scalar in text.unicodeScalars {
            defer { offset += UTF8.width(scalar) }
            if Self.value(of: scalar) != nil {
                cleaned.append(UInt8(scalar.value))
                origin.append(offset)
                continue
            }
            let damage = Damage(scalar)
            if let i = badCharacters.firstIndex(where: { $0.scalar == scalar }) {
                badCharacters[i].offsets.append(offset)
            } else {
                badCharacters.append((scalar, damage, [offset]))
            }
            guard let replacement = Damage.replacement(for: scalar) else {
                repairable = false
                continue
            }
            repairs.append(Repair(offset: offset, original: String(scalar), replacement: replacement))
            for b in replacement.utf8 {
                cleaned.append(b)
                origin.append(offset)
            }
        }
        guard repairable else { return }
        switch cleaned.count % 4 {
        case 1:
            invalidLengthOffset = origin.last ?? range.lowerBound
            return
        case 2, 3:
            let unusedBits: UInt8 = cleaned.count % 4 == 2 ? 4 : 2
            let last = cleaned.count - 1
            let v = Self.value(of: Unicode.Scalar(cleaned[last])) ?? 0
            if v & ((1 << unusedBits) - 1) != 0 {
                let fixed = Self.alphabet[Int(v & ~((1 << unusedBits) - 1))]
                nonCanonicalOffset = origin[last]
                repairs.append(
                    Repair(
                        offset: origin[last], original: String(Unicode.Scalar(cleaned[last])),
                        replacement: String(Unicode.Scalar(fixed))))
                cleaned[last] = fixed
            }
        default: break
        }
        decoded = try? Base64URL.decode(cleaned)
    }

    /// Token offset of decoded byte `d`: the base64url character in which that byte's bits begin.
    func tokenOffset(ofDecodedByte d: Int) -> Int {
        guard !origin.isEmpty else { return range.lowerBound }
        return origin[min(max(0, d) * 4 / 3, origin.count - 1)]
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func value(of scalar: Unicode.Scalar) -> UInt8? {
        switch scalar {
        case "A"..."Z": UInt8(scalar.value - 65)
        case "a"..."z": UInt8(scalar.value - 97 + 26)
        case "0"..."9": UInt8(scalar.value - 48 + 52)
        case "-": 62
        case "_": 63
        default: nil
        }
    }
}

/// What a character outside the base64url alphabet probably is, and how the repair undoes it.
enum Damage: Equatable {
    /// `=` padding.
    case padding
    /// `+` or `/` from standard base64.
    case standardBase64
    /// A dash or underscore look-alike (an editor's "smart" punctuation).
    case lookAlike
    /// Whitespace or a line break.
    case whitespace
    /// An invisible character (zero-width space, byte-order mark, soft hyphen).
    case invisible
    /// A quotation mark around or inside the token.
    case quote
    /// Anything else: no safe repair.
    case other

    init(_ s: Unicode.Scalar) {
        switch s.value {
        case 0x3D: self = .padding
        case 0x2B, 0x2F: self = .standardBase64
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D, 0xFF3F: self = .lookAlike
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            self = .whitespace
        case 0xAD, 0x200B...0x200D, 0x2060, 0xFEFF: self = .invisible
        case 0x22, 0x27, 0x60, 0xAB, 0xBB, 0x2018...0x201F: self = .quote
        default: self = .other
        }
    }

    /// What the repair writes instead of `s` ("" to remove it); `nil` when there is no safe repair.
    static func replacement(for s: Unicode.Scalar) -> String? {
        switch Damage(s) {
        case .padding, .whitespace, .invisible, .quote: ""
        case .standardBase64: s == "+" ? "-" : "_"
        case .lookAlike: s.value == 0xFF3F ? "_" : "-"
        case .other: nil
        }
    }
}

extension Unicode.Scalar {
    /// `'x' (U+0078)` for printable ASCII, else `U+2013 EN DASH` (name when known).
    var diagnosticName: String {
        let hex = String(value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if value >= 0x21 && value < 0x7F { return "'\(Character(self))' (\(code))" }
        if let name = properties.name ?? properties.nameAlias { return "\(code) \(name)" }
        switch value {
        case 0x0A: return "\(code) LINE FEED"
        case 0x0D: return "\(code) CARRIAGE RETURN"
        case 0x09: return "\(code) TAB"
        default: return code
        }
    }
}
