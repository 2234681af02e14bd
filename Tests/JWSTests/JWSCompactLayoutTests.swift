// SPDX-License-Identifier: Apache-2.0

import JWS
import Testing

/// The compact layout scans a `RawSpan` (the safe entry point) into its three segments.
@Suite struct JWSCompactLayoutTests {
    static func layout(_ text: String) throws(JWSError) -> JWSCompactLayout {
        let bytes = Array(text.utf8)
        return try JWSCompactLayout(scanning: RawSpan(_elements: bytes.span))
    }

    @Test func segments() throws {
        let layout = try Self.layout("hdr.pay.sig")
        #expect(layout.count == 11)
        #expect(layout.header == 0..<3)
        #expect(layout.payload == 4..<7)
        #expect(layout.signature == 8..<11)
        #expect(layout.signingInput == 0..<7)
        #expect(try Self.layout("h..s").payload.isEmpty)
    }

    @Test func rejections() {
        for (text, offset) in [("", 0), ("abc", 0), ("a.b", 1), ("a.b.c.d", 5), (".b.c", 0), ("a.b.", 4)] {
            let error = #expect(throws: JWSError.self, "\(text)") { try Self.layout(text) }
            #expect(error?.code.rawValue == "token.not-jws", "\(text)")
            #expect(error?.offset == offset, "\(text)")
        }
    }
}
