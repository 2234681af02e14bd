// SPDX-License-Identifier: Apache-2.0

/// The kind of a JSON value, as ``StrictJSONScanner`` reports it.
enum JSONKind: UInt8 {
    case absent, null, bool, number, string, array, object

    /// The JSON type's name, for messages (``JSONValue/typeName`` is this name).
    var typeName: String {
        switch self {
        case .absent: "nothing"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The kind of the value that starts with `byte` in valid JSON text.
    static func of(firstByte byte: UInt8) -> JSONKind {
        switch byte {
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }
}
