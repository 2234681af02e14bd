// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS

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
    /// What the repair changed: each character, then the last character's non-canonical bits.
    var repairs: [Repair] { characterRepairs + (canonicalRepair.map { [$0] } ?? []) }
    /// What the repair changed character by character (the non-canonical fix aside).
    private var characterRepairs: [Repair] = []
    /// The fix of the last character's non-zero unused bits, if any.
    private var canonicalRepair: Repair?
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
    /// Look-alike dashes that may stand for more than one '-': forum software turns `--` into U+2013 EN DASH and
    /// `---` into U+2014 EM DASH. Each `extra` reading vector counts the '-' beyond the first, site by site.
    private(set) var dashSites: [DashSite] = []
    /// The repaired characters with one '-' per look-alike dash and no non-canonical fix: what readings vary.
    private(set) var readingBase: [UInt8] = []
    /// Token offset of each character of ``readingBase``.
    private var readingBaseOrigin: [Int] = []
    /// For a header or payload that only decodes to a JSON object when some dash stands for more than one '-':
    /// that reading (``cleaned`` and ``decoded`` follow it).
    private(set) var adoptedReading: [Int]?

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
            characterRepairs.append(Repair(offset: offset, original: String(scalar), replacement: replacement))
            let extra = Damage.extraHyphens(for: scalar)
            if extra > 0 {
                dashSites.append(DashSite(index: cleaned.count, offset: offset, scalar: scalar, maxExtra: extra))
            }
            for b in replacement.utf8 {
                cleaned.append(b)
                origin.append(offset)
            }
        }
        guard repairable else { return }
        readingBase = cleaned
        readingBaseOrigin = origin
        settle()
        guard segment == .header || segment == .payload, !dashSites.isEmpty, !decodesToObject(decoded) else { return }
        // The one-'-' reading is not a JSON object: adopt the first reading that is, so the claims can be read.
        let found = DashReadings.enumerate(
            maxExtra: dashSites.map(\.maxExtra), totals: nil, limit: DashReadings.limit, stopAtFirst: true
        ) { extra in decodesToObject(Self.decodeCanonical(reading(extra).characters)) }
        guard let extra = found.readings.first else { return }
        adoptedReading = extra
        (cleaned, origin) = reading(extra)
        characterRepairs = repairs(for: extra)
        invalidLengthOffset = nil
        nonCanonicalOffset = nil
        canonicalRepair = nil
        decoded = nil
        settle()
    }

    /// Checks the length and trailing bits of ``cleaned`` and decodes it.
    private mutating func settle() {
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
                canonicalRepair =
                    (Repair(
                        offset: origin[last], original: String(Unicode.Scalar(cleaned[last])),
                        replacement: String(Unicode.Scalar(fixed))))
                cleaned[last] = fixed
            }
        default: break
        }
        decoded = try? Base64URL.decode(cleaned)
    }

    private func decodesToObject(_ bytes: [UInt8]?) -> Bool {
        guard let bytes, case .object? = try? StrictJSON.parseKeepingLastDuplicate(bytes).0 else { return false }
        return true
    }

    /// The characters (and their token offsets) when dash site `i` stands for `1 + extra[i]` '-'.
    func reading(_ extra: [Int]) -> (characters: [UInt8], origin: [Int]) {
        guard extra.contains(where: { $0 > 0 }) else { return (readingBase, readingBaseOrigin) }
        var characters: [UInt8] = []
        var origin: [Int] = []
        characters.reserveCapacity(readingBase.count + extra.reduce(0, +))
        var next = 0
        for (site, more) in zip(dashSites, extra) {
            characters += readingBase[next...site.index]
            origin += readingBaseOrigin[next...site.index]
            characters += repeatElement(UInt8(ascii: "-"), count: more)
            origin += repeatElement(site.offset, count: more)
            next = site.index + 1
        }
        characters += readingBase[next...]
        origin += readingBaseOrigin[next...]
        return (characters, origin)
    }

    /// This segment's character repairs with dash site `i` standing for `1 + extra[i]` '-' (no non-canonical fix:
    /// that belongs to one reading's length).
    func repairs(for extra: [Int]) -> [Repair] {
        var hyphens: [Int: Int] = [:]
        for (site, more) in zip(dashSites, extra) { hyphens[site.offset] = 1 + more }
        return characterRepairs.map { r in
            guard let n = hyphens[r.offset] else { return r }
            return Repair(offset: r.offset, original: r.original, replacement: String(repeating: "-", count: n))
        }
    }

    /// Decodes base64url characters, clearing non-zero unused bits first; `nil` for an impossible length.
    static func decodeCanonical(_ characters: [UInt8]) -> [UInt8]? {
        var characters = characters
        let unusedBits: UInt8
        switch characters.count % 4 {
        case 1: return nil
        case 2: unusedBits = 4
        case 3: unusedBits = 2
        default: unusedBits = 0
        }
        if unusedBits > 0, let last = characters.last, let v = value(of: Unicode.Scalar(last)) {
            characters[characters.count - 1] = alphabet[Int(v & ~((1 << unusedBits) - 1))]
        }
        return try? Base64URL.decode(characters)
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

/// A look-alike dash that may stand for more than one '-'.
struct DashSite: Equatable {
    /// Index in ``SegmentReading/readingBase`` of the one '-' the repair writes for it.
    let index: Int
    /// Token offset of the dash.
    let offset: Int
    /// The dash.
    let scalar: Unicode.Scalar
    /// How many '-' beyond the first it may stand for (U+2013: 1, U+2014: 2).
    let maxExtra: Int
}

/// Enumerates readings of look-alike dashes, most likely first and bounded: each reading gives, site by site, the
/// number of '-' beyond the first that the dash stands for.
enum DashReadings {
    /// The most readings tried (enumerated per segment, and signatures checked per token).
    static let limit = 4096

    /// The readings accepted by `accept`, in order: every dash at its longest reading (what forum software does),
    /// every dash as one '-' (what editors do), every dash as at most '--', then all the others. `totals`, when
    /// given, keeps only readings whose extra '-' add up to one of them (a signature's length is known).
    ///
    /// - Returns: The accepted readings, and whether every reading was considered (`false`: the limit was hit).
    static func enumerate(
        maxExtra: [Int], totals: Set<Int>?, limit: Int, stopAtFirst: Bool = false, accept: ([Int]) -> Bool
    ) -> (readings: [[Int]], complete: Bool) {
        let n = maxExtra.count
        var suffixCapacity = [Int](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffixCapacity[i] = suffixCapacity[i + 1] + maxExtra[i] }
        var out: [[Int]] = []
        var seen = Set<[Int]>()
        var budget = limit
        var done = false
        // false: stop (the budget is spent, or the first accepted reading was asked for and found).
        func consider(_ r: [Int]) -> Bool {
            guard seen.insert(r).inserted else { return true }
            guard budget > 0 else { return false }
            budget -= 1
            if accept(r) {
                out.append(r)
                if stopAtFirst {
                    done = true
                    return false
                }
            }
            return true
        }
        func fits(_ r: [Int]) -> Bool { totals.map { $0.contains(r.reduce(0, +)) } ?? true }
        let uniform = [maxExtra, [Int](repeating: 0, count: n), maxExtra.map { min($0, 1) }]
        for r in uniform where fits(r) {
            if !consider(r) { return (out, done) }
        }
        var current = [Int](repeating: 0, count: n)
        // Depth first, longer readings first; with `totals`, only branches that can still reach one are entered.
        func visit(_ i: Int, _ sum: Int) -> Bool {
            if i == n { return fits(current) ? consider(current) : true }
            for more in stride(from: maxExtra[i], through: 0, by: -1) {
                let s = sum + more
                if let totals, !totals.contains(where: { $0 >= s && $0 <= s + suffixCapacity[i + 1] }) { continue }
                current[i] = more
                if !visit(i + 1, s) { return false }
            }
            return true
        }
        let finished = visit(0, 0)
        return (out, finished || done)
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

    /// How many '-' beyond the first a look-alike dash may stand for: forum software turns `--` into U+2013 EN DASH
    /// and `---` into U+2014 EM DASH; other dashes stand for one.
    static func extraHyphens(for s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0x2013: 1
        case 0x2014: 2
        default: 0
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
