// SPDX-License-Identifier: Apache-2.0

/// Where a recorded root member's value is.
struct MemberSlot {
    /// The value's kind (`.absent` when the member is not there).
    var kind: JSONKind
    /// Offset of the value's first byte.
    var valueOffset: Int
    /// Offset just after the value.
    var end: Int
    /// The token, for a string value.
    var string: JSONStringToken?

    static let absent = MemberSlot(kind: .absent, valueOffset: 0, end: 0, string: nil)
    var isPresent: Bool { kind != .absent }
}
