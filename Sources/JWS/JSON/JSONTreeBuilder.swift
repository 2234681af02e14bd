// SPDX-License-Identifier: Apache-2.0

/// Builds the ``JSONValue`` of JSON text that ``StrictJSONScanner`` has accepted.
///
/// The scanner is the only grammar: the builder reads the finished text with a ``ValidatedJSONCursor`` and checks
/// nothing again. Names the scan reported as repeats (``StrictJSON/parseKeepingLastDuplicate(_:limits:)``) replace
/// the earlier member's value in place, as ECMAScript `JSON.parse` keeps the last value.
@safe struct JSONTreeBuilder {
    var cursor: ValidatedJSONCursor
    /// Offsets of the repeated member names the scan reported, in source order.
    let duplicateOffsets: [Int]
    var nextDuplicate = 0

    /// A builder over `count` bytes at `base` that a scan accepted (they must stay valid while it is used).
    init(base: UnsafeRawPointer, count: Int, duplicateOffsets: [Int]) {
        unsafe self.cursor = ValidatedJSONCursor(base: base, count: count, position: 0)
        self.duplicateOffsets = duplicateOffsets
    }

    /// The value of the whole text.
    mutating func document() -> JSONValue {
        cursor.skipWhitespace()
        return value()
    }

    /// The value at the cursor; moves past it.
    mutating func value() -> JSONValue {
        let start = cursor.position
        switch cursor.byte(start) {
        case UInt8(ascii: "\""): return .string(string())
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "t"):
            cursor.position += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            cursor.position += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            cursor.position += 4
            return .null
        default:
            cursor.skipValue()
            let text = unsafe UnsafeRawBufferPointer(start: cursor.base + start, count: cursor.position - start)
            return .number(JSONNumber(validatedText: unsafe String(decoding: text, as: UTF8.self)))
        }
    }

    mutating func string() -> String {
        let token = cursor.string()
        return unsafe JSONStringComparison.string(token, in: cursor.base)
    }

    mutating func object() -> JSONValue {
        cursor.position += 1  // '{'
        var members: [JSONObject.Member] = []
        cursor.skipWhitespace()
        while cursor.byte(cursor.position) == UInt8(ascii: "\"") {
            let nameOffset = cursor.position
            let name = string()
            let repeated = isReportedDuplicate(nameOffset)  // before the value, whose own repeats come later
            cursor.skipWhitespace()
            cursor.position += 1  // ':'
            cursor.skipWhitespace()
            let valueOffset = cursor.position
            let member = JSONObject.Member(name: name, value: value(), nameOffset: nameOffset, valueOffset: valueOffset)
            if repeated, let earlier = members.firstIndex(where: { $0.name == name }) {
                members[earlier] = member
            } else {
                members.append(member)
            }
            cursor.skipWhitespace()
            if cursor.byte(cursor.position) == UInt8(ascii: ",") {
                cursor.position += 1
                cursor.skipWhitespace()
            }
        }
        cursor.position += 1  // '}'
        return .object(JSONObject(members: members))
    }

    mutating func array() -> JSONValue {
        cursor.position += 1  // '['
        var elements: [JSONValue] = []
        cursor.skipWhitespace()
        while cursor.byte(cursor.position) != UInt8(ascii: "]") {
            elements.append(value())
            cursor.skipWhitespace()
            if cursor.byte(cursor.position) == UInt8(ascii: ",") {
                cursor.position += 1
                cursor.skipWhitespace()
            }
        }
        cursor.position += 1  // ']'
        return .array(elements)
    }

    /// Whether the scan reported the name at `offset` as a repeat.
    mutating func isReportedDuplicate(_ offset: Int) -> Bool {
        guard nextDuplicate < duplicateOffsets.count, duplicateOffsets[nextDuplicate] == offset else { return false }
        nextDuplicate += 1
        return true
    }
}
