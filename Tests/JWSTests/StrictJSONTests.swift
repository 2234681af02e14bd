// SPDX-License-Identifier: Apache-2.0

import JWS
import Testing

@Suite struct StrictJSONTests {
    @Test func acceptsRFC8259Values() throws {
        let v = try StrictJSON.parse(#" {"a":[1,-0,1.5e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{}} "#)
        let o = try #require(v.objectValue)
        #expect(o["a"]?.arrayValue?.count == 7)
        #expect(o["a"]?.arrayValue?[6].stringValue == "xé😀\n")
        #expect(o.member("b")?.nameOffset == 59)
        #expect(o["a"]?.arrayValue?[1].numberValue?.int64Value == 0)
        // Regression (found by the json fuzz target): re-serialised JSON must compare equal, offsets aside.
        #expect(try StrictJSON.parse(v.description) == v)
    }

    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", "json.duplicate-member", 7),
        ("{\"a\":1,\"\\u0061\":2}", "json.duplicate-member", 7),
        ("{\"a\":1,}", "json.invalid", 7),
        ("[01]", "json.invalid", 1),
        ("{\"a\":\"\\ud800\"}", "json.invalid", 6),
        ("{\"a\":\"\\udc00\"}", "json.invalid", 6),
        ("\"\u{01}\"", "json.invalid", 1),
        ("{} x", "json.invalid", 3),
        ("{'a':1}", "json.invalid", 1),
        ("1.", "json.invalid", 2),
        ("[1e]", "json.invalid", 3),
        ("tru", "json.invalid", 0),
        ("", "json.invalid", 0),
        ("{\"a\" 1}", "json.invalid", 5),
        ("/*c*/{}", "json.invalid", 0),
    ])
    func rejects(text: String, code: String, offset: Int) {
        do {
            _ = try StrictJSON.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code.rawValue == code, "\(text): \(error)")
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test func rejectsInvalidUTF8AndBoundsDepthAndSize() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xFF, 0x22],
        ] {
            #expect(throws: JSONError(.invalid, offset: 0, reason: "")) { try StrictJSON.parse(bytes) }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError(.tooDeep, offset: 0, reason: "")) { try StrictJSON.parse(deep) }
        #expect(throws: JSONError(.tooLarge, offset: 0, reason: "")) {
            try StrictJSON.parse("[" + String(repeating: "1,", count: 40000) + "1]")
        }
    }

    @Test func numbers() throws {
        let n = try #require(StrictJSON.parse("1e400").numberValue)
        #expect(n.doubleValue == nil)
        #expect(try StrictJSON.parse("1300819380").numberValue?.int64Value == 1_300_819_380)
        #expect(try StrictJSON.parse("1.5").numberValue?.isInteger == false)
    }

    @Test func byteWriterEscapesAndRoundTrips() throws {
        var storage = [UInt8](repeating: 0, count: 256)
        let text: String = unsafe storage.withUnsafeMutableBytes { buf in
            var w = unsafe JSONByteWriter(buffer: buf)
            w.beginObject()
            w.key("s")
            w.string("q\"b\\n\n\u{01}é")
            w.key("i")
            w.integer(-1_234_567_890_123)
            w.key("z")
            w.integer(0)
            w.key("a")
            w.beginArray()
            w.bool(true)
            w.null()
            w.endArray()
            w.endObject()
            #expect(!w.overflowed)
            return unsafe String(decoding: buf[..<w.count], as: UTF8.self)
        }
        #expect(text == #"{"s":"q\"b\\n\n\u0001é","i":-1234567890123,"z":0,"a":[true,null]}"#)
        let back = try #require(StrictJSON.parse(text).objectValue)
        #expect(back["s"]?.stringValue == "q\"b\\n\n\u{01}é")
        var small = [UInt8](repeating: 0, count: 4)
        unsafe small.withUnsafeMutableBytes { buf in
            var w = unsafe JSONByteWriter(buffer: buf)
            w.beginObject()
            w.key("long")
            w.endObject()
            #expect(w.overflowed)
        }
    }
}
