// SPDX-License-Identifier: Apache-2.0

import Base64URL
import TestSupport
import Testing

/// Every class of strict rejection, with its exact code, offset, byte, scalar and reason, on every API shape.
@Suite struct Base64URLRejectionTests {
    struct Case: CustomStringConvertible, Sendable {
        let input: String
        let code: Base64URLError.Code
        let offset: Int
        let byte: UInt8?
        var scalar: Unicode.Scalar? = nil
        var reasonContains: [String] = []
        var description: String { "\(input.debugDescription) → \(code) @\(offset)" }
    }

    static let cases: [Case] = [
        Case(input: "QR", code: .nonCanonical, offset: 1, byte: 0x52, reasonContains: ["'R'", "'Q'"]),
        Case(input: "QUJ", code: .nonCanonical, offset: 2, byte: 0x4A, reasonContains: ["'J'", "'I'"]),
        Case(input: "QUJDQR", code: .nonCanonical, offset: 5, byte: 0x52),
        Case(input: "QQ==", code: .padding, offset: 2, byte: 0x3D, reasonContains: ["padding", "'='"]),
        Case(input: "QU=D", code: .padding, offset: 2, byte: 0x3D),
        Case(input: "QUJ*", code: .invalidCharacter, offset: 3, byte: 0x2A, reasonContains: ["'*'", "offset 3"]),
        Case(input: "QUJ*Q", code: .invalidCharacter, offset: 3, byte: 0x2A),  // the bad byte comes before the length
        Case(input: "QU=*", code: .padding, offset: 2, byte: 0x3D),  // first offending byte wins
        Case(
            input: "ab+c", code: .invalidCharacter, offset: 2, byte: 0x2B, reasonContains: ["standard base64", "'-'"]),
        Case(
            input: "ab/c", code: .invalidCharacter, offset: 2, byte: 0x2F, reasonContains: ["standard base64", "'_'"]),
        Case(
            input: "QUJD\r\nQUJD", code: .invalidCharacter, offset: 4, byte: 0x0D, reasonContains: ["whitespace", "CR"]),
        Case(
            input: "QUJD\nQUJD", code: .invalidCharacter, offset: 4, byte: 0x0A, reasonContains: ["whitespace", "LF"]),
        Case(input: "QUJD QUJD", code: .invalidCharacter, offset: 4, byte: 0x20, reasonContains: ["whitespace"]),
        Case(input: "\tQUJD", code: .invalidCharacter, offset: 0, byte: 0x09, reasonContains: ["whitespace", "tab"]),
        Case(input: "QUJD\u{0}", code: .invalidCharacter, offset: 4, byte: 0x00, reasonContains: ["control"]),
        Case(input: "QUJDQUJ.", code: .invalidCharacter, offset: 7, byte: 0x2E),
        Case(input: "QUJDQ", code: .invalidLength, offset: 5, byte: nil, reasonContains: ["5 characters", "4k+1"]),
        Case(input: "Q", code: .invalidLength, offset: 1, byte: nil),
        Case(
            input: "eyJhbGciOiJSUzI1NiJ9\u{2013}eyJ", code: .invalidCharacter, offset: 20, byte: 0xE2,
            scalar: "\u{2013}", reasonContains: ["0xE2", "offset 20", "U+2013 EN DASH", "look-alike of '-'"]),
        Case(
            input: "ab\u{2014}c", code: .invalidCharacter, offset: 2, byte: 0xE2, scalar: "\u{2014}",
            reasonContains: ["U+2014 EM DASH"]),
        Case(
            input: "ab\u{00A0}c", code: .invalidCharacter, offset: 2, byte: 0xC2, scalar: "\u{00A0}",
            reasonContains: ["U+00A0 NO-BREAK SPACE", "space"]),
        Case(
            input: "\u{200B}abc", code: .invalidCharacter, offset: 0, byte: 0xE2, scalar: "\u{200B}",
            reasonContains: ["U+200B ZERO WIDTH SPACE", "zero-width"]),
        Case(
            input: "\u{201C}abcd\u{201D}", code: .invalidCharacter, offset: 0, byte: 0xE2, scalar: "\u{201C}",
            reasonContains: ["smart quote"]),
        Case(
            input: "abcd\u{1F511}", code: .invalidCharacter, offset: 4, byte: 0xF0, scalar: "\u{1F511}",
            reasonContains: ["U+1F511"]),
        Case(
            input: "abcdé", code: .invalidCharacter, offset: 4, byte: 0xC3, scalar: "é",
            reasonContains: ["U+00E9 LATIN SMALL LETTER E WITH ACUTE"]),
    ]

    @Test(arguments: cases) func rejected(_ c: Case) throws {
        for shape in Shape.allCases {
            let error = caught { () throws(Base64URLError) in try shape.decode(Array(c.input.utf8)) }
            let e = try #require(error, "\(shape)")
            #expect(e.code == c.code, "\(shape)")
            #expect(e.offset == c.offset, "\(shape)")
            #expect(e.byte == c.byte, "\(shape)")
            #expect(e.scalar == c.scalar, "\(shape)")
            for fragment in c.reasonContains {
                #expect(e.reason.contains(fragment), "\(shape): \(e.reason)")
            }
            #expect(e.description.hasPrefix("Base64URLError.\(c.code) @\(c.offset): "))
        }
        #expect(
            thrownSite { () throws(Base64URLError) in try Base64URL.decode(c.input) }
                == ErrorSite(code: c.code, offset: c.offset))
    }

    @Test func invalidUTF8HasNoScalar() throws {
        for bytes: [UInt8] in [
            [0x41, 0xFF, 0x41, 0x41], [0x41, 0x80, 0x41, 0x41], [0x41, 0xE2, 0x80], [0x41, 0xC0, 0xAF, 0x41],
        ] {
            let e = try #require(caught { () throws(Base64URLError) in try Base64URL.decode(bytes) })
            #expect(e.site == ErrorSite(code: .invalidCharacter, offset: 1))
            #expect(e.scalar == nil)
            #expect(e.reason.contains("not ASCII"))
        }
    }

    /// A bad byte at every position of a 100-character input, so each position of the 16-character fast loop, its
    /// 4-character tail loop and the final group reports its own offset (not its group's).
    @Test func exactOffsetAtEveryPosition() throws {
        var rng = SplitMix64(seed: 7)
        let valid = Base64URL.encodeToBytes(rng.bytes(75))
        #expect(valid.count == 100)
        for position in 0..<valid.count {
            for bad: UInt8 in [0x2A, 0x3D, 0x80, 0x0A] {
                var chars = valid
                chars[position] = bad
                for shape in Shape.allCases where shape != .convenience || bad < 0x80 {
                    let e = caught { () throws(Base64URLError) in try shape.decode(chars) }
                    #expect(e?.offset == position, "\(shape) \(position)")
                    #expect(e?.byte == bad)
                    #expect(e?.code == (bad == 0x3D ? .padding : .invalidCharacter))
                }
            }
        }
    }

    /// Only the 64 alphabet bytes are accepted, in each position of a 16-character block and of the groups after it.
    @Test func onlyTheAlphabetIsAccepted() throws {
        for b in 0...255 {
            let byte = UInt8(b)
            for position in 0..<24 {
                var chars = Array("QUJDQUJDQUJDQUJDQUJDQUJD".utf8)
                chars[position] = byte
                let e = caught { () throws(Base64URLError) in try Base64URL.decode(chars) }
                #expect((e == nil) == Reference.alphabet.contains(byte), "byte \(b) at \(position)")
                if let e { #expect(e.offset == position) }
            }
        }
    }

    @Test func errorValueSemantics() throws {
        let a = Base64URLError(code: .padding, offset: 2, byte: 0x3D)
        let b = Base64URLError(code: .padding, offset: 2)
        #expect(a == b)  // equality compares the code only, as every Signet error's does
        #expect(a.hashValue == b.hashValue)
        #expect(a == Base64URLError(code: .padding, offset: 3))
        #expect(a.site != Base64URLError(code: .padding, offset: 3).site)
        #expect(a != Base64URLError(code: .invalidCharacter, offset: 2))
        #expect(Base64URLError.Code.invalidCharacter.rawValue == "base64url.invalid-character")
        #expect(Base64URLError.Code.padding.rawValue == "base64url.padding")
        #expect(Base64URLError.Code.nonCanonical.rawValue == "base64url.non-canonical")
        #expect(Base64URLError.Code.invalidLength.rawValue == "base64url.invalid-length")
        #expect(Base64URLError.Code.outputTooSmall.rawValue == "base64url.output-too-small")
        #expect(Base64URLError.Code.padding.rawValue == "base64url.padding")
        #expect(a.description == "Base64URLError.base64url.padding @2: " + a.reason)
        #expect("\(a.code)" == "base64url.padding")
        #expect(
            a.reason == "byte 0x3D '=' at offset 2 is padding; unpadded base64url (RFC 7515 §2) must not contain '='")
    }
}
