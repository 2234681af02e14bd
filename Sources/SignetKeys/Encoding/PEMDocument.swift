// SPDX-License-Identifier: Apache-2.0

/// One PEM block (RFC 7468): its label and the DER bytes of its body.
struct PEMBlock {
    /// The label between `-----BEGIN ` and `-----`, e.g. `PRIVATE KEY`.
    let label: String
    /// The decoded body.
    var der: [UInt8]
    /// Byte offset of the `-----BEGIN` line in the text.
    let offset: Int
}

/// Strict PEM armour reader (RFC 7468 §2, "strict" textual encoding, but tolerating CRLF and text between
/// blocks, which OpenSSL also tolerates).
enum PEMReader {
    private static let begin = Array("-----BEGIN ".utf8)
    private static let end = Array("-----END ".utf8)
    private static let dashes = Array("-----".utf8)

    /// Every PEM block in `text`, in order.
    static func blocks(in text: [UInt8]) throws(SignetKeyError) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var i = 0
        while let start = find(begin, in: text, from: i) {
            let labelStart = start + begin.count
            guard let labelEnd = find(dashes, in: text, from: labelStart), !text[labelStart..<labelEnd].contains(10)
            else {
                throw SignetKeyError(.pemMalformed, offset: start, reason: "BEGIN line is not terminated by '-----'")
            }
            let label = String(decoding: text[labelStart..<labelEnd], as: UTF8.self)
            let endMarker = end + Array(label.utf8) + dashes
            guard let bodyEnd = find(endMarker, in: text, from: labelEnd + dashes.count) else {
                if let otherEnd = find(end, in: text, from: labelEnd) {
                    throw SignetKeyError(
                        .pemMalformed, offset: otherEnd,
                        reason: "the END line does not match 'BEGIN \(label)' (truncated or spliced PEM)")
                }
                throw SignetKeyError(
                    .pemMalformed, offset: start, reason: "no '-----END \(label)-----' line (truncated PEM?)")
            }
            let bodyStart = labelEnd + dashes.count
            let body = text[bodyStart..<bodyEnd]
            if body.contains(UInt8(ascii: ":")) {
                throw SignetKeyError(
                    .pemMalformed, offset: bodyStart,
                    reason: "PEM headers (e.g. Proc-Type: 4,ENCRYPTED) are not supported; decrypt the key first")
            }
            let der = try Base64Standard.decode(body, baseOffset: bodyStart)
            blocks.append(PEMBlock(label: label, der: der, offset: start))
            i = bodyEnd + endMarker.count
        }
        if blocks.isEmpty {
            throw SignetKeyError(
                .pemMalformed, offset: 0, reason: "no '-----BEGIN …-----' line found; not a PEM document")
        }
        return blocks
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count, from <= hay.count - needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Standard-alphabet base64 (RFC 4648 §4) as used in PEM bodies: line breaks and spaces are skipped, `=` padding
/// is required to be canonical.
enum Base64Standard {
    static func decode(_ body: ArraySlice<UInt8>, baseOffset: Int) throws(SignetKeyError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var acc: UInt32 = 0
        var n = 0
        var pad = 0
        for (k, c) in body.enumerated() {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                pad += 1
                continue
            case 10, 13, 32, 9: continue
            default:
                throw SignetKeyError(
                    .pemMalformed, offset: baseOffset + k,
                    reason: "byte 0x\(String(c, radix: 16)) in the PEM body is not base64")
            }
            if pad > 0 {
                throw SignetKeyError(.pemMalformed, offset: baseOffset + k, reason: "base64 data after '=' padding")
            }
            acc = acc << 6 | v
            n += 1
            if n == 4 {
                out.append(UInt8(truncatingIfNeeded: acc >> 16))
                out.append(UInt8(truncatingIfNeeded: acc >> 8))
                out.append(UInt8(truncatingIfNeeded: acc))
                acc = 0
                n = 0
            }
        }
        switch (n, pad) {
        case (0, 0): break
        case (2, 2): out.append(UInt8(truncatingIfNeeded: acc >> 4))
        case (3, 1):
            out.append(UInt8(truncatingIfNeeded: acc >> 10))
            out.append(UInt8(truncatingIfNeeded: acc >> 2))
        default:
            throw SignetKeyError(
                .pemMalformed, offset: baseOffset + body.count,
                reason: "the PEM body's base64 length is not a whole number of groups (truncated?)")
        }
        return out
    }
}
