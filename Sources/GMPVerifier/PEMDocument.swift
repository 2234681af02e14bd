// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// One strictly parsed PEM public-key document (RFC 7468 §2 and §3, strict layout only).
struct PEMDocument {
    enum Label {
        /// `PUBLIC KEY`: a SubjectPublicKeyInfo.
        case subjectPublicKeyInfo
        /// `RSA PUBLIC KEY`: a PKCS#1 RSAPublicKey.
        case rsaPublicKey
    }

    let label: Label
    let der: [UInt8]

    /// Parses `text`: optional surrounding whitespace, `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----`.
    /// Lines end with LF or CRLF. Error offsets are byte positions in `text`.
    init(parsing text: [UInt8]) throws(GMPVerifierError) {
        var start = 0
        var end = text.count
        while start < end, PEMDocument.isWhitespace(text[start]) { start += 1 }
        while end > start, PEMDocument.isWhitespace(text[end - 1]) { end -= 1 }
        guard start < end else { throw .invalidPEM("PEM text is empty") }

        // Split into lines (offsets kept for errors); a CR is allowed only right before LF.
        var lines: [Range<Int>] = []
        var lineStart = start
        var i = start
        while i < end {
            if text[i] == UInt8(ascii: "\n") {
                var lineEnd = i
                if lineEnd > lineStart, text[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                lines.append(lineStart..<lineEnd)
                lineStart = i + 1
            }
            i += 1
        }
        lines.append(lineStart..<end)
        guard lines.count >= 3 else {
            throw .invalidPEM("PEM needs a BEGIN line, at least one body line and an END line", at: start)
        }

        let begin = Array(text[lines[0]])
        let beginPrefix = Array("-----BEGIN ".utf8)
        let dashes = Array("-----".utf8)
        guard begin.count > beginPrefix.count + dashes.count, begin.starts(with: beginPrefix),
            begin.suffix(dashes.count).elementsEqual(dashes)
        else { throw .invalidPEM("first line is not '-----BEGIN <label>-----'", at: lines[0].lowerBound) }
        let labelBytes = Array(begin[beginPrefix.count..<(begin.count - dashes.count)])
        let labelText = String(decoding: labelBytes, as: UTF8.self)
        switch labelText {
        case "PUBLIC KEY": label = .subjectPublicKeyInfo
        case "RSA PUBLIC KEY": label = .rsaPublicKey
        case "PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
            throw .invalidPEM(
                "label '\(labelText)' is a private key; only public keys are accepted", at: lines[0].lowerBound)
        default:
            throw .invalidPEM("label '\(labelText)' is not PUBLIC KEY or RSA PUBLIC KEY", at: lines[0].lowerBound)
        }
        guard let last = lines.last else { throw .invalidPEM("PEM has no END line") }
        let expectedEnd = Array("-----END ".utf8) + labelBytes + dashes
        guard text[last].elementsEqual(expectedEnd) else {
            throw .invalidPEM("last line is not '-----END \(labelText)-----'", at: last.lowerBound)
        }

        var body: [UInt8] = []
        var positions: [Int] = []  // positions[i] is where body[i] sits in `text`
        body.reserveCapacity(end - start)
        positions.reserveCapacity(end - start)
        for line in lines[1..<(lines.count - 1)] {
            guard !line.isEmpty else { throw .invalidPEM("empty line in the PEM body", at: line.lowerBound) }
            for j in line {
                let c = text[j]
                guard PEMDocument.isBase64Character(c) else {
                    let shown =
                        c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "0x\(String(c, radix: 16))"
                    throw .invalidBase64("PEM body: byte \(shown) is not base64", at: j)
                }
            }
            body.append(contentsOf: text[line])
            positions.append(contentsOf: line)
        }
        do {
            der = try StrictBase64.decode(body, .standardPadded, what: "PEM body")
        } catch {
            let offset = error.offset.map { $0 < positions.count ? positions[$0] : end }
            throw GMPVerifierError(error.code, offset: offset, reason: { error.reason })
        }
        guard !der.isEmpty else { throw .invalidPEM("PEM body is empty") }
    }

    private static func isWhitespace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n")
    }

    private static func isBase64Character(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
