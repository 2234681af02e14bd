// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: base64 also exists in Base64URL and in SignetKeys's PEM reader, and GMPVerifier shares no
// code with either, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// Strict, canonical base64 decoding (RFC 4648) for key import: JWK members (base64url, §5, no padding) and PEM
/// bodies (standard alphabet, §4, with padding). Not a hot path.
///
/// Rejected: any byte outside the alphabet (including whitespace, which callers strip themselves where the format
/// allows it), a length that cannot come from an encoder, padding where it is not allowed or not at the end, and
/// non-zero unused bits in the last character (so every byte string has exactly one accepted encoding).
enum StrictBase64 {
    enum Variant {
        /// RFC 4648 §4 (`+`, `/`), `=` padding required to a multiple of 4.
        case standardPadded
        /// RFC 4648 §5 (`-`, `_`), no padding (RFC 7515 §2 "Base64url Encoding").
        case urlUnpadded
    }

    /// Decodes `text`. Error offsets are positions in `text` plus `offsetBase`.
    static func decode(
        _ text: [UInt8], _ variant: Variant, what: String, offsetBase: Int = 0
    ) throws(GMPVerifierError)
        -> [UInt8]
    {
        var dataCount = text.count
        switch variant {
        case .standardPadded:
            guard text.count % 4 == 0 else {
                throw .invalidBase64(
                    "\(what): length \(text.count) is not a multiple of 4", at: offsetBase + text.count)
            }
            var pads = 0
            while pads < 2, dataCount > 0, text[dataCount - 1] == UInt8(ascii: "=") {
                dataCount -= 1
                pads += 1
            }
        case .urlUnpadded:
            guard text.count % 4 != 1 else {
                throw .invalidBase64("\(what): length \(text.count) cannot be produced by base64url", at: nil)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(dataCount * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for i in 0..<dataCount {
            let c = text[i]
            guard let v = value(c, variant) else {
                let shown = c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "0x\(String(c, radix: 16))"
                throw .invalidBase64("\(what): byte \(shown) is not in the alphabet here", at: offsetBase + i)
            }
            acc = (acc << 6 | UInt32(v)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        if variant == .standardPadded, dataCount % 4 == 1 {
            throw .invalidBase64("\(what): padding leaves a lone final character", at: offsetBase + dataCount - 1)
        }
        if bits > 0, acc & ((1 << UInt32(bits)) - 1) != 0 {
            throw .invalidBase64(
                "\(what): last character has non-zero unused bits (non-canonical encoding)",
                at: offsetBase + dataCount - 1)
        }
        return out
    }

    private static func value(_ c: UInt8, _ variant: Variant) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return variant == .standardPadded ? 62 : nil
        case UInt8(ascii: "/"): return variant == .standardPadded ? 63 : nil
        case UInt8(ascii: "-"): return variant == .urlUnpadded ? 62 : nil
        case UInt8(ascii: "_"): return variant == .urlUnpadded ? 63 : nil
        default: return nil
        }
    }
}
