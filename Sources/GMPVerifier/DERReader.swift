// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// A strict DER reader for the few ASN.1 shapes an RSA public key uses (X.690 §10 on top of §8).
///
/// Accepts only: single-byte identifiers compared exactly (so a constructed BIT STRING or a high tag number never
/// matches), definite lengths in the shortest form (short form below 128; long form without a leading zero byte and
/// at most 4 length bytes), contents that fit in the enclosing element, and callers must check that every element
/// is consumed. Offsets in errors are absolute positions in the original byte array.
struct DERReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    /// A reader over all of `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
    }

    /// A reader over `bytes[range]` (offsets stay absolute).
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// The contents not yet read.
    var remaining: Range<Int> { position..<end }

    /// Reads one element whose identifier octet is exactly `tag`, and returns a reader over its contents.
    /// - Parameter what: Names the element in error reasons.
    mutating func read(tag: UInt8, _ what: String) throws(GMPVerifierError) -> DERReader {
        let start = position
        guard start < end else {
            throw .invalidDER("\(what): input ends where its tag was expected", at: start)
        }
        let found = bytes[start]
        guard found == tag else {
            throw .invalidDER("\(what): expected tag \(hex(tag)), found \(hex(found))", at: start)
        }
        var p = start + 1
        guard p < end else { throw .invalidDER("\(what): length octet missing", at: p) }
        let first = bytes[p]
        p += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else if first == 0x80 {
            throw .invalidDER("\(what): indefinite length is not allowed in DER", at: p - 1)
        } else {
            let n = Int(first & 0x7F)
            guard n <= 4 else {
                throw .invalidDER("\(what): length uses \(n) length octets; at most 4 are accepted", at: p - 1)
            }
            guard end - p >= n else { throw .invalidDER("\(what): length octets are truncated", at: p - 1) }
            guard bytes[p] != 0 else {
                throw .invalidDER("\(what): long-form length has a leading zero octet (not minimal)", at: p)
            }
            for i in 0..<n { length = length << 8 | Int(bytes[p + i]) }
            guard length >= 0x80 else {
                throw .invalidDER("\(what): length \(length) must use the short form (not minimal)", at: p - 1)
            }
            p += n
        }
        guard end - p >= length else {
            throw .invalidDER("\(what): \(length) content octets declared but only \(end - p) remain", at: start)
        }
        position = p + length
        return DERReader(bytes, range: p..<(p + length))
    }

    /// Throws unless every byte has been read.
    func expectEnd(_ what: String) throws(GMPVerifierError) {
        guard position == end else {
            throw .invalidDER("\(what): \(end - position) unexpected trailing octet(s)", at: position)
        }
    }

    /// Reads an INTEGER that must be minimally encoded and non-negative; returns its magnitude (without the
    /// leading 00 that keeps a high bit from meaning "negative").
    mutating func readNonNegativeInteger(_ what: String) throws(GMPVerifierError) -> ArraySlice<UInt8> {
        let start = position
        let contents = try read(tag: 0x02, what)
        let r = contents.remaining
        guard !r.isEmpty else { throw .invalidDER("\(what): INTEGER has no content octets", at: start) }
        let first = bytes[r.lowerBound]
        guard first & 0x80 == 0 else { throw .invalidDER("\(what): INTEGER is negative", at: r.lowerBound) }
        if r.count > 1, first == 0, bytes[r.lowerBound + 1] & 0x80 == 0 {
            throw .invalidDER("\(what): INTEGER has a redundant leading zero octet (not minimal)", at: r.lowerBound)
        }
        return first == 0 ? bytes[(r.lowerBound + 1)..<r.upperBound] : bytes[r]
    }

    /// Reads an element and requires its whole encoding (tag, length, contents) to equal `expected`.
    mutating func readExact(_ expected: [UInt8], _ what: String) throws(GMPVerifierError) {
        let start = position
        guard end - start >= expected.count, bytes[start..<(start + expected.count)].elementsEqual(expected) else {
            throw .invalidDER("\(what): expected \(expected.map(hex).joined(separator: " "))", at: start)
        }
        position = start + expected.count
    }
}

private func hex(_ b: UInt8) -> String {
    let digits: StaticString = "0123456789ABCDEF"
    return digits.withUTF8Buffer { d in
        unsafe String(decoding: [UInt8(ascii: "0"), UInt8(ascii: "x"), d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
    }
}
